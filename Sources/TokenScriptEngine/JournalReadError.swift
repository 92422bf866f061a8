/// Why a journal file cannot be read, naming the line (1-based) and the field.
public struct JournalReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    /// The field at fault (`attestation.issuer.key`, `events[2].type`), or empty when the whole line is.
    public var field: String
    public var reason: String

    public init(line: Int, field: String, reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        field.isEmpty ? "journal line \(line): \(reason)" : "journal line \(line), field \(field): \(reason)"
    }
}
