import TokenScriptArithmetic

/// Decides whether an attestation may trigger anything. Pure: the clock and the history are passed in.
///
/// Checks run in this order, and the first failure is the reason: shape (`malformed`), signature
/// (`highS`, `badSignature`, `wrongSigner`), trust (`untrustedIssuer`), history (`duplicate`, `replayed`),
/// time (`notYetValid`, `expired`). Signature before trust and history, so a forgery is always called
/// a forgery; history before time, so a late redelivery of an accepted attestation is merely ignored.
public enum AttestationVerifier {
    /// - Parameter signatures: Ed25519 signatures this process checked already (`VerifiedSignatures`): one
    ///   found there is not checked again; nil checks every signature.
    public static func verify(
        _ attestation: Attestation, trust: TrustConfiguration, now: UInt64, seen: some AttestationHistory,
        signatures: VerifiedSignatures? = nil
    ) -> Result<VerifiedAttestation, AttestationRejection> {
        func reject(_ reason: AttestationRejection.Reason) -> Result<VerifiedAttestation, AttestationRejection> {
            .failure(AttestationRejection(id: attestation.id, reason: reason))
        }
        if let field = attestation.firstMalformedField { return reject(.malformed(field: field)) }
        if let failure = SignatureCheck.failure(attestation, signatures: signatures) {
            return reject(failure)
        }
        guard trust.trusts(attestation.issuer, for: attestation.topic) else {
            return reject(.untrustedIssuer(topic: attestation.topic))
        }
        let digest = attestation.contentDigest
        if let earlier = seen.contentDigest(forID: attestation.id) {
            return reject(earlier == digest ? .duplicate(id: attestation.id) : .replayed(id: attestation.id))
        }
        if attestation.issuedAt > now.saturatingAdding(trust.clockSkew) {
            return reject(.notYetValid(issuedAt: attestation.issuedAt))
        }
        if let expiresAt = attestation.expiresAt, now >= expiresAt { return reject(.expired(at: expiresAt)) }
        return .success(VerifiedAttestation(attestation: attestation, contentDigest: digest))
    }
}
