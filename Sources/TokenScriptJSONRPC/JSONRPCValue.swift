/// A JSON value as JSON-RPC carries it, decoded with Foundation's `JSONDecoder`.
///
/// A closed enum rather than `Any` from `JSONSerialization`, so that a boolean can never pass for a
/// number (Linux bridges both to `NSNumber`) and "the result has the wrong type" is a plain `switch`.
enum JSONRPCValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONRPCValue])
    case object([String: JSONRPCValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let items = try? container.decode([JSONRPCValue].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: JSONRPCValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let integer): try container.encode(integer)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let items): try container.encode(items)
        case .object(let members): try container.encode(members)
        }
    }

    subscript(key: String) -> JSONRPCValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    /// A short name of the kind of value, for "expected a string, got an object" messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
