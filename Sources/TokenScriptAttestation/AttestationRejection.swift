/// Why an attestation may not trigger anything, in a form a program can branch on and a person can read.
public struct AttestationRejection: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// A field no valid attestation can have (named as in the wire form).
        case malformed(field: String)
        /// The signature does not verify (Ed25519) or yields no public key (ECDSA).
        case badSignature
        /// An ECDSA signature with `s > n/2`: the malleable twin of a valid one, refused (EIP-2).
        case highS
        /// An ECDSA signature by another key than the issuer's. A tampered message shows up here too:
        /// recovery then yields some unrelated address.
        case wrongSigner(recovered: String)
        /// The signature is good but the trust configuration does not let this issuer speak on the topic.
        case untrustedIssuer(topic: String)
        case expired(at: UInt64)
        /// Dated more than the allowed clock skew after `now`.
        case notYetValid(issuedAt: UInt64)
        /// An id already seen with different content: someone reused an id to slip in another claim.
        case replayed(id: String)
        /// An id already seen with the same content: a redelivery. Not an error: callers ignore it.
        case duplicate(id: String)

        /// A stable kebab-case code for logs and journals.
        public var code: String {
            switch self {
            case .malformed: "malformed"
            case .badSignature: "bad-signature"
            case .highS: "high-s"
            case .wrongSigner: "wrong-signer"
            case .untrustedIssuer: "untrusted-issuer"
            case .expired: "expired"
            case .notYetValid: "not-yet-valid"
            case .replayed: "replayed"
            case .duplicate: "duplicate"
            }
        }
    }

    public let id: String
    public let reason: Reason

    public init(id: String, reason: Reason) {
        self.id = id
        self.reason = reason
    }

    /// True for a duplicate: the attestation already took effect once, so dropping it silently is right.
    public var isIgnorable: Bool {
        if case .duplicate = reason { true } else { false }
    }

    public var message: String {
        switch reason {
        case .malformed(let field): "attestation \(id): malformed field \(field)"
        case .badSignature: "attestation \(id): the signature does not verify"
        case .highS: "attestation \(id): high-s ECDSA signature (malleable form) refused"
        case .wrongSigner(let recovered): "attestation \(id): signed by \(recovered), not by its issuer"
        case .untrustedIssuer(let topic): "attestation \(id): its issuer is not trusted for topic \(topic)"
        case .expired(let at): "attestation \(id): expired at \(at)"
        case .notYetValid(let issuedAt): "attestation \(id): issued at \(issuedAt), in the future"
        case .replayed(let id): "attestation \(id): id already used for different content (replay)"
        case .duplicate(let id): "attestation \(id): already seen; ignored"
        }
    }

    public var description: String { message }
}
