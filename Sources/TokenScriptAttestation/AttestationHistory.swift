/// What the verifier needs to know about attestations already accepted: the content digest under each id.
///
/// A protocol so the journal can answer from its own records; the verifier only reads it, and the caller
/// records an attestation once it has acted on it.
public protocol AttestationHistory {
    /// The `contentDigest` of the attestation accepted under `id`, or nil if none was.
    func contentDigest(forID id: String) -> [UInt8]?
}

/// An in-memory `AttestationHistory`, for tests and for callers that keep no journal.
public struct SeenAttestations: AttestationHistory, Hashable, Sendable {
    private var digests: [String: [UInt8]] = [:]

    public init() {}

    public func contentDigest(forID id: String) -> [UInt8]? { digests[id] }

    /// Remembers an accepted attestation; the first one recorded under an id wins.
    public mutating func record(_ verified: VerifiedAttestation) {
        if digests[verified.attestation.id] == nil {
            digests[verified.attestation.id] = verified.contentDigest
        }
    }

    public var count: Int { digests.count }
}
