import TokenScriptJSON

/// The payload of an attestation: a JSON tree restricted so that it has exactly one byte form.
///
/// Numbers are integers within ±(2^53 − 1) only: every JSON implementation reads those exactly, so the
/// signed bytes survive any re-encoding. Larger or fractional quantities travel as strings. Member names
/// are `JSONKey`s, compared by their bytes, so `"é"` and `"e\u{301}"` are two members.
public indirect enum AttestationValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case array([AttestationValue])
    case object([JSONKey: AttestationValue])

    /// The largest magnitude an `.integer` may have (2^53 − 1, the exact range of an IEEE double).
    public static let maximumInteger: Int64 = (1 << 53) - 1

    /// The deepest nesting accepted, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 32

    public subscript(key: JSONKey) -> AttestationValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    public var stringValue: String? { if case .string(let text) = self { text } else { nil } }
    public var integerValue: Int64? { if case .integer(let number) = self { number } else { nil } }
    public var boolValue: Bool? { if case .bool(let flag) = self { flag } else { nil } }

    /// The first place this value breaks the rules (integer range, depth), as a path, or nil.
    func firstViolation() -> String? { firstViolation(path: JSONPath([.key("payload")]), depth: 0)?.description }

    private func firstViolation(path: JSONPath, depth: Int) -> JSONPath? {
        guard depth <= Self.maximumDepth else { return path }
        switch self {
        case .integer(let number):
            return number.magnitude > Self.maximumInteger.magnitude ? path : nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let bad = item.firstViolation(path: path.appending(index), depth: depth + 1) { return bad }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                if let bad = members[key]!.firstViolation(path: path.appending(key), depth: depth + 1) { return bad }
            }
            return nil
        case .null, .bool, .string:
            return nil
        }
    }
}

extension AttestationValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: AttestationValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (JSONKey, AttestationValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension AttestationValue {
    /// An object from members named by Swift strings (see `Dictionary.init(textKeys:)`).
    @_disfavoredOverload
    public static func object(_ members: [String: AttestationValue]) -> AttestationValue {
        .object(.init(textKeys: members))
    }

    /// The value in the package's JSON model, for the canonical writer.
    public var json: JSONValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .integer(let number): .integer(number)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(\.json))
        case .object(let members): .object(members.mapValues(\.json))
        }
    }

    /// A JSON value as an attestation value: floats are refused (write fractions as strings), and so are
    /// integers beyond ±(2^53 − 1); `path` names the first offending value.
    public init(json: JSONValue, path: JSONPath = .root) throws(AttestationDecodingError) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let number):
            guard number != .min, abs(number) <= Self.maximumInteger else {
                throw AttestationDecodingError(
                    field: path.description, reason: "integer beyond ±(2^53 − 1) (write it as a string)")
            }
            self = .integer(number)
        case .float:
            throw AttestationDecodingError(
                field: path.description, reason: "only integers are allowed (write fractions as strings)")
        case .string(let text): self = .string(text)
        case .array(let items):
            var values: [AttestationValue] = []
            for (index, item) in items.enumerated() {
                values.append(try AttestationValue(json: item, path: path.appending(index)))
            }
            self = .array(values)
        case .object(let members):
            var values: [JSONKey: AttestationValue] = [:]
            for key in members.keys.sorted() {
                values[key] = try AttestationValue(json: members[key]!, path: path.appending(key))
            }
            self = .object(values)
        }
    }
}
