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

    func signingBytes(_ build: () -> [UInt8]) -> [UInt8] {
        if let known = kept.withLock({ $0.signingBytes }) { return known }
        // Built outside the lock: two threads asking at once may both build the same bytes, which is cheaper
        // than making every reader wait.
        let built = build()
        kept.withLock { $0.signingBytes = built }
        return built
    }

    func contentDigest(_ build: () -> [UInt8]) -> [UInt8] {
        if let known = kept.withLock({ $0.contentDigest }) { return known }
        let built = build()
        kept.withLock { $0.contentDigest = built }
        return built
    }

    func json(_ build: () -> String) -> String {
        if let known = kept.withLock({ $0.json }) { return known }
        let built = build()
        kept.withLock { $0.json = built }
        return built
    }
}
