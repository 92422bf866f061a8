/// Why a command could not do its job (exit status 2): the message and, where known, what it is about —
/// a file with line and column, or the field of a JSON input — so a person or a program can find it.
package struct CommandFailure: Error, Sendable, Encodable, CustomStringConvertible {
    package var message: String
    package var file: String?
    package var line: Int?
    package var column: Int?
    package var field: String?

    package init(_ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil, field: String? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.field = field
    }

    /// `file:line:column: message` with the parts that are known, and the field when there is one.
    package var description: String {
        var location = [file, line.map(String.init), line == nil ? nil : column.map(String.init)]
            .compactMap { $0 }.joined(separator: ":")
        if let field { location += location.isEmpty ? field : " (\(field))" }
        return location.isEmpty ? message : "\(location): \(message)"
    }
}

extension Console {
    /// Reports `failure` the one way every command does — with `--json` as `{"status": "error", "error": {…}}`
    /// on standard output and nothing else there, otherwise as `error: …` on standard error — and returns
    /// the usage exit status for the command to return.
    package func report(_ failure: CommandFailure, json: Bool) -> Int32 {
        if json {
            out(JSONOutput.error(failure))
        } else {
            err("error: \(failure.description)")
        }
        return CommandStatus.usage.rawValue
    }
}
