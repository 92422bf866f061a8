/// A JSON document as one strict, byte-exact tree, shared by every reader in the package.
///
/// The rules, in one place (see `JSONReader` and `JSONWriter`):
/// - Integers and floats are different values: `1` is `.integer(1)`, `1.0` is `.float(1.0)`, and the
///   canonical writer keeps them apart (`1.0` stays `1.0`).
/// - Integers are `Int64`. An integer literal beyond the 64-bit range is refused, not rounded (write it as
///   a string, or as a float with a fraction or exponent if approximation is meant); `-0` is refused too,
///   because `0` and `-0.0` are the two values it could mean.
/// - Floats are finite `Double`s; a literal that overflows to infinity is refused.
/// - Strings and member names are valid UTF-8, compared by their bytes (never Unicode equivalence), so
///   `"é"` and `"e\u{301}"` are different strings and different keys.
/// - An object never has two members with the same key bytes: the reader refuses duplicates.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case float(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONKey: JSONValue])
}

extension JSONValue {
    /// Reads one document with the strict rules; see `JSONReader`.
    public init(parsing bytes: some Collection<UInt8>, limits: JSONReader.Limits = .init()) throws(JSONReadError) {
        self = try JSONReader.read(bytes, limits: limits)
    }

    public init(parsing text: String, limits: JSONReader.Limits = .init()) throws(JSONReadError) {
        self = try JSONReader.read(Array(text.utf8), limits: limits)
    }

    /// The member named `key` when this is an object.
    public subscript(key: JSONKey) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    public var stringValue: String? { if case .string(let text) = self { text } else { nil } }
    public var integerValue: Int64? { if case .integer(let number) = self { number } else { nil } }
    public var floatValue: Double? { if case .float(let number) = self { number } else { nil } }
    public var boolValue: Bool? { if case .bool(let flag) = self { flag } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let items) = self { items } else { nil } }
    public var objectValue: [JSONKey: JSONValue]? { if case .object(let members) = self { members } else { nil } }

    /// A short name of the kind of value, for "expected a string, got an object" messages.
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .float: "a float"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Equality by bytes: strings compare by UTF-8 (not canonical equivalence), floats by bit pattern (so
/// `-0.0` ≠ `0.0`, and a value always equals itself), and `.integer(1)` ≠ `.float(1.0)`.
extension JSONValue: Hashable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.float(let a), .float(let b)): a.bitPattern == b.bitPattern
        case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let flag): hasher.combine(1); hasher.combine(flag)
        case .integer(let number): hasher.combine(2); hasher.combine(number)
        case .float(let number): hasher.combine(3); hasher.combine(number.bitPattern)
        case .string(let text): hasher.combine(4); for byte in text.utf8 { hasher.combine(byte) }
        case .array(let items): hasher.combine(5); hasher.combine(items)
        case .object(let members): hasher.combine(6); hasher.combine(members)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    /// Later duplicates replace earlier ones (literals are written by the programmer, not read).
    public init(dictionaryLiteral elements: (JSONKey, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
