/// The type an attribute's value is coerced to, from its LDAP syntax OID (`ts:type/ts:syntax`).
///
/// TokenScript borrowed LDAP syntaxes (`1.3.6.1.4.1.1466.115.121.1.N`); evaluation coerces the
/// origin's output to the type named here, as the iOS and Android runtimes do.
public enum ValueType: String, Sendable, Hashable, Codable {
    case boolean
    case string
    case integer
    case unsignedInteger
    case generalizedTime
    case bitString
    case countryString
    case jpeg
    /// An OID we do not know; values stay strings.
    case unknown
}

/// An LDAP syntax OID as written, with the type it maps to.
public struct ValueSyntax: Sendable, Hashable, Codable {
    public var oid: String
    public var type: ValueType

    public static let prefix = "1.3.6.1.4.1.1466.115.121.1."

    public init(oid: String) {
        self.oid = oid
        self.type = Self.type(ofOID: oid)
    }

    /// The mapping the runtimes agree on (Android also knows 6, 11 and 28).
    public static func type(ofOID oid: String) -> ValueType {
        guard oid.hasPrefix(prefix), let number = Int(oid.dropFirst(prefix.count)) else { return .unknown }
        switch number {
        case 6: return .bitString
        case 7: return .boolean
        case 11: return .countryString
        case 15, 26, 40, 44: return .string  // DirectoryString, IA5String, OctetString, PrintableString
        case 24: return .generalizedTime
        case 27: return .integer
        case 28: return .jpeg
        case 36: return .unsignedInteger  // NumericString
        default: return .unknown
        }
    }
}
