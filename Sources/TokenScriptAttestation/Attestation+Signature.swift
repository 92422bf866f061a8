extension Attestation {
    /// Why the attestation is not signed by its own issuer (malformed shape first), or nil when it is: the
    /// signature half of `AttestationVerifier` without trust, history or time, for a receiver that decides
    /// who may write by other means (the anchor: the requesting node's registered key).
    public var signatureRejection: AttestationRejection.Reason? {
        if let field = firstMalformedField { return .malformed(field: field) }
        return SignatureCheck.failure(self)
    }
}
