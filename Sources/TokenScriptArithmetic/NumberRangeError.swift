/// An outside value that does not fit where it is going, named by the field it came from.
///
/// One error for every boundary (wire JSON, journals, documents, CLI flags, chain answers, Lua results),
/// so a hostile number always reads the same way: `issuedAt: -9223372036854775808 is out of range (0…2^63-1)`.
public struct NumberRangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the value came from: a JSON path, a flag (`--timeout`), an attribute (`timeout=`).
    public var field: String
    /// The value as written or received.
    public var value: String
    /// The accepted range, in words or as `low…high`.
    public var range: String

    public init(field: String, value: String, range: String) {
        self.field = field
        self.value = value
        self.range = range
    }

    public var description: String { "\(field): \(value) is out of range (\(range))" }
}
