import TokenScriptJSON

/// Plain data crossing the sandbox boundary: script results, execution input and host-call
/// arguments. No functions, no metatables, nothing that could run code on either side.
///
/// Object keys are `JSONKey`s, compared and ordered by their bytes: Lua tables keyed `"é"` (NFC) and
/// `"e\u{301}"` (NFD) stay two members, as they are in Lua. Strings and keys coming from Lua must be
/// valid UTF-8 and floats finite; anything else is refused at the boundary (`SandboxValueError`).
public enum SandboxValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([SandboxValue])
    case object([JSONKey: SandboxValue])
}

/// Equality by bytes, as `JSONValue`'s: strings by UTF-8, doubles by bit pattern.
extension SandboxValue: Hashable {
    public static func == (lhs: SandboxValue, rhs: SandboxValue) -> Bool { lhs.json == rhs.json }
    public func hash(into hasher: inout Hasher) { hasher.combine(json) }
}

extension SandboxValue {
    /// The same value in the package's one JSON model.
    public var json: JSONValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .integer(number)
        case .double(let number): .float(number)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(\.json))
        case .object(let members): .object(members.mapValues(\.json))
        }
    }

    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let number): self = .int(number)
        case .float(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(SandboxValue.init))
        case .object(let members): self = .object(members.mapValues(SandboxValue.init))
        }
    }

    /// The canonical JSON bytes (`JSONWriter`): keys in byte order, no whitespace, floats keep a
    /// fraction. Throws only for a non-finite float, which no value from Lua or from JSON holds.
    public func canonicalJSON() throws(JSONWriteError) -> [UInt8] { try JSONWriter.canonical(json) }

    /// Canonical JSON as text, so deterministic executions give byte-identical output on every node. A
    /// non-finite float (only a value built in Swift can hold one) is shown as `null`.
    public var jsonText: String {
        (try? JSONWriter.canonicalString(json)) ?? JSONWriter.canonicalStringShowingNonFinite(json)
    }

    /// Reads JSON with the package's strict reader (`JSONReader`): booleans, integers and floats stay
    /// distinct, duplicate keys and anything beyond RFC 8259 are refused with line and column.
    public static func parseJSON(_ text: String, limits: JSONReader.Limits = .init()) throws(JSONReadError)
        -> SandboxValue
    {
        SandboxValue(try JSONReader.read(text, limits: limits))
    }

    /// The member named `key` when this is an object.
    public subscript(key: JSONKey) -> SandboxValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }
}

extension JSONWriter {
    /// Canonical text with non-finite floats replaced by `null`, for display only (never hashed).
    static func canonicalStringShowingNonFinite(_ value: JSONValue) -> String {
        func finite(_ value: JSONValue) -> JSONValue {
            switch value {
            case .float(let number) where !number.isFinite: .null
            case .array(let items): .array(items.map(finite))
            case .object(let members): .object(members.mapValues(finite))
            default: value
            }
        }
        return (try? canonicalString(finite(value))) ?? "null"
    }
}

extension SandboxValue {
    /// An object from members named by Swift strings, such as attribute names (see
    /// `Dictionary.init(textKeys:)`); values read from Lua keep their byte keys instead.
    @_disfavoredOverload
    public static func object(_ members: [String: SandboxValue]) -> SandboxValue { .object(.init(textKeys: members)) }
}
