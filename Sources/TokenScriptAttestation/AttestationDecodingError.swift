/// A wire-form attestation that cannot be read, naming the field so the sender can be told what to fix.
public struct AttestationDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Dotted path of the offending field, e.g. `issuer.key` or `payload.legs[2]`.
    public let field: String
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
