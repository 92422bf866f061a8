/// Why a read is refused, in a form a program can branch on (`code`) and a person can read (`message`, which
/// names the grant's field): the reason a node gives with its 403.
public struct ReadGrantRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// No grant came with the read.
        case missing
        /// A field no valid grant can have, named as in the wire form, with why.
        case malformed(field: String, reason: String)
        /// The signature does not verify (Ed25519) or yields no public key (ECDSA).
        case badSignature
        /// An ECDSA signature with `s > n/2`: the malleable twin of a valid one, refused (EIP-2).
        case highS
        /// An ECDSA signature by another key than the grant's `holder`; a tampered grant shows up here too.
        case wrongSigner(recovered: String)
        /// Validly signed, but by someone who does not hold the instance now (it changed hands, or never did).
        case wrongHolder(signer: String, currentHolder: String)
        /// The grant is for another instance.
        case wrongInstance(granted: String, requested: String)
        /// The grant names another integrator than the one reading.
        case wrongGrantee(granted: String, requesting: String)
        case interfaceNotGranted(interface: String, granted: [String])
        /// Dated more than the allowed clock skew after `now`.
        case notYetValid(issuedAt: UInt64, now: UInt64)
        case expired(at: UInt64, now: UInt64)

        /// A stable kebab-case code for responses and logs.
        public var code: String {
            switch self {
            case .missing: "missing"
            case .malformed: "malformed"
            case .badSignature: "bad-signature"
            case .highS: "high-s"
            case .wrongSigner: "wrong-signer"
            case .wrongHolder: "wrong-holder"
            case .wrongInstance: "wrong-instance"
            case .wrongGrantee: "wrong-grantee"
            case .interfaceNotGranted: "interface-not-granted"
            case .notYetValid: "not-yet-valid"
            case .expired: "expired"
            }
        }

        /// The grant's wire field the refusal is about, nil when it is about no single field.
        public var field: String? {
            switch self {
            case .missing: nil
            case .malformed(let field, _): field
            case .badSignature, .highS, .wrongSigner: "signature"
            case .wrongHolder: "holder"
            case .wrongInstance: "instance"
            case .wrongGrantee: "grantee"
            case .interfaceNotGranted: "interfaces"
            case .notYetValid: "issuedAt"
            case .expired: "expiresAt"
            }
        }
    }

    public let reason: Reason

    public init(_ reason: Reason) { self.reason = reason }

    /// A grant that could not be read is refused as malformed, naming the field the reader named.
    public init(decoding error: AttestationDecodingError) {
        self.init(.malformed(field: error.field, reason: error.reason))
    }

    public var code: String { reason.code }

    public var message: String {
        switch reason {
        case .missing:
            "no read grant: the token's holder must sign one for you (tokenscript grant sign)"
        case .malformed(let field, let reason): "read grant: \(field): \(reason)"
        case .badSignature: "read grant: signature: does not verify"
        case .highS: "read grant: signature: high-s ECDSA signature (malleable form) refused"
        case .wrongSigner(let recovered): "read grant: signature: signed by \(recovered), not by its holder"
        case .wrongHolder(let signer, let current):
            "read grant: holder: signed by \(signer), but the instance's current holder is \(current)"
        case .wrongInstance(let granted, let requested):
            "read grant: instance: granted for \(granted), not for \(requested)"
        case .wrongGrantee(let granted, let requesting):
            "read grant: grantee: granted to \(granted), not to \(requesting)"
        case .interfaceNotGranted(let interface, let granted):
            "read grant: interfaces: \(interface) is not granted (granted: \(granted.joined(separator: ", ")))"
        case .notYetValid(let issuedAt, let now):
            "read grant: issuedAt: \(issuedAt) is in the future (now \(now))"
        case .expired(let at, let now): "read grant: expiresAt: expired at \(at) (now \(now))"
        }
    }

    public var description: String { message }
}
