import TokenScriptArithmetic

/// A wire-form attestation that cannot be read, naming the field so the sender can be told what to fix.
public struct AttestationDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Dotted path of the offending field, e.g. `issuer.key` or `payload.legs[2]`.
    public let field: String
    public let reason: String

    public var description: String { "\(field): \(reason)" }
}

extension AttestationDecodingError {
    /// A number that was read but does not fit its field (`issuedAt: -1 is out of range (0…9007199254740991)`).
    init(range: NumberRangeError) {
        self.init(field: range.field, reason: "\(range.value) is out of range (\(range.range))")
    }
}
