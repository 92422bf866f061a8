/// An attestation that passed every check; only `AttestationVerifier` makes one, so holding one is proof.
public struct VerifiedAttestation: Hashable, Sendable {
    public let attestation: Attestation
    /// SHA-256 of its signing bytes, what `AttestationHistory` remembers under its id.
    public let contentDigest: [UInt8]

    init(attestation: Attestation, contentDigest: [UInt8]) {
        self.attestation = attestation
        self.contentDigest = contentDigest
    }
}
