import Synchronization

/// The encodings of one attestation value, each built the first time it is asked for and then kept.
///
/// An attestation is encoded several times on its way through a node: its signing bytes for the signature check
/// and the duplicate check, its wire JSON for the log and again for the journal line. Every copy of an
/// `Attestation` shares its memo, and a change to any field replaces it (`Attestation`'s `didSet`s), so a kept
/// encoding always belongs to the fields it was built from.
final class AttestationForms: Sendable {
    private struct Kept {
        var signingBytes: [UInt8]?
        var contentDigest: [UInt8]?
        var json: String?
    }

    private let kept = Mutex(Kept())

    func signingBytes(_ build: () -> [UInt8]) -> [UInt8] { remembered(\.signingBytes, build) }

    func contentDigest(_ build: () -> [UInt8]) -> [UInt8] { remembered(\.contentDigest, build) }

    func json(_ build: () -> String) -> String { remembered(\.json, build) }

    /// The value kept at `form`, or `build()`'s, then kept. Built outside the lock: two threads asking at once
    /// may both build the same value, which is cheaper than making every reader wait.
    private func remembered<Value: Sendable>(_ form: WritableKeyPath<Kept, Value?> & Sendable, _ build: () -> Value)
        -> Value
    {
        if let known = kept.withLock({ $0[keyPath: form] }) { return known }
        let built = build()
        kept.withLock { $0[keyPath: form] = built }
        return built
    }
}
