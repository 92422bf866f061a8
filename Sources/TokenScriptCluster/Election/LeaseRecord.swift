/// One instance's row in the lease table: the last epoch handed out, who holds it and until when.
///
/// The row outlives its holder: `release` and expiry clear the holder but keep the epoch, so the next
/// election continues from it and epochs only grow.
public struct LeaseRecord: Sendable, Hashable, CustomStringConvertible {
    /// The instance and the last epoch handed out for it.
    public var lease: ExecutorLease
    /// The node that holds the lease; nil after a release.
    public var holder: String?
    /// Engine-clock seconds (`EngineClock.unixSeconds`) from which the lease no longer holds.
    public var expiresAt: UInt64

    public init(lease: ExecutorLease, holder: String?, expiresAt: UInt64) {
        self.lease = lease
        self.holder = holder
        self.expiresAt = expiresAt
    }

    /// Held and not yet expired at `now`: only then does `lease` fence anything in.
    public func isLive(at now: UInt64) -> Bool { holder != nil && now < expiresAt }

    public var description: String {
        guard let holder else { return "\(lease) (released)" }
        return "\(lease) held by \(holder) until \(expiresAt)"
    }
}
