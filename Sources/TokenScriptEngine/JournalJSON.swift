import TokenScriptSandbox

/// The one JSON reader and writer of journal lines.
enum JournalJSON {
    /// Strictly reads one line's bytes; problems are reported with the line's number.
    static func parse(_ bytes: [UInt8]) throws -> SandboxValue {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw JournalJSONError(reason: "not valid UTF-8", column: nil) }
        do {
            return try SandboxValue.parseJSON(text)
        } catch {
            throw JournalJSONError(reason: "not JSON", column: nil)
        }
    }
}

/// A line that the JSON reader refuses.
struct JournalJSONError: Error {
    var reason: String
    var column: Int?
}
