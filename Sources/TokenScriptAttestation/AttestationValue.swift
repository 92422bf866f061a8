/// The payload of an attestation: a JSON tree restricted so that it has exactly one byte form.
///
/// Numbers are integers within ±(2^53 − 1) only: every JSON implementation reads those exactly, so the
/// signed bytes survive any re-encoding. Larger or fractional quantities travel as strings.
public indirect enum AttestationValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case array([AttestationValue])
    case object([String: AttestationValue])

    /// The largest magnitude an `.integer` may have (2^53 − 1, the exact range of an IEEE double).
    public static let maximumInteger: Int64 = (1 << 53) - 1

    /// The deepest nesting accepted, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 32

    public subscript(key: String) -> AttestationValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    public var stringValue: String? { if case .string(let text) = self { text } else { nil } }
    public var integerValue: Int64? { if case .integer(let number) = self { number } else { nil } }
    public var boolValue: Bool? { if case .bool(let flag) = self { flag } else { nil } }

    /// The first place this value breaks the rules (integer range, depth), as a path, or nil.
    func firstViolation(path: String = "payload", depth: Int = 0) -> String? {
        guard depth <= Self.maximumDepth else { return path }
        switch self {
        case .integer(let number):
            return number.magnitude > Self.maximumInteger.magnitude ? path : nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let bad = item.firstViolation(path: "\(path)[\(index)]", depth: depth + 1) { return bad }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                if let bad = members[key]!.firstViolation(path: "\(path).\(key)", depth: depth + 1) { return bad }
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
    public init(dictionaryLiteral elements: (String, AttestationValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
