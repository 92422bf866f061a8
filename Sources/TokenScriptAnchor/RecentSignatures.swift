import Synchronization

/// The node-request signatures the anchor accepted within the allowed skew: a signature seen again is a
/// captured request sent a second time (each request a node sends carries a fresh nonce), refused even though it
/// verifies. Entries older than the skew window can no longer pass the date check, so they are dropped.
final class RecentSignatures: Sendable {
    private let window: UInt64
    private let seen = Mutex<[[UInt8]: UInt64]>([:])

    /// - Parameter window: seconds a signature must be remembered: twice the verifier's skew.
    init(window: UInt64) {
        self.window = window
    }

    /// Records `signature` (its bytes, never a `String`: two spellings of one hex must not pass as two) and
    /// answers whether it is new.
    func admit(_ signature: [UInt8], now: UInt64) -> Bool {
        seen.withLock { seen in
            if seen.count > 4_096 { seen = seen.filter { $0.value + window >= now } }
            if let at = seen[signature], at + window >= now { return false }
            seen[signature] = now
            return true
        }
    }
}
