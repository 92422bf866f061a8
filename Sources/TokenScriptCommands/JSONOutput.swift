import Foundation
import TokenScriptJSON
import TokenScriptRuntime

/// The one JSON style of every `--json` output: one object on standard output, keys sorted, two-space
/// indentation (`JSONWriter.pretty`), and a top-level `"status"` — `"ok"`, `"failed"` or `"error"` as the
/// exit status is 0, 1 or 2 — so a result can always be told from an error without knowing the command.
package enum JSONOutput {
    /// `result` as one object with `"status"` added; `result` must encode as an object.
    package static func result<T: Encodable>(_ result: T, status: CommandStatus) -> String {
        var members = object(encoding: result)
        members["status"] = .string(status.jsonStatus)
        return text(.object(members))
    }

    /// A sandbox value (dry-run and scenario reports) as one object with `"status"` added.
    package static func result(_ result: SandboxValue, status: CommandStatus) -> String {
        var members: [JSONKey: JSONValue] = ["status": .string(status.jsonStatus)]
        switch result.json {
        case .object(let reported): members.merge(reported) { status, _ in status }
        case let other: members["result"] = other
        }
        return text(.object(members))
    }

    /// `{"status": "error", "error": {"message", "file"?, "line"?, "column"?, "field"?}}`.
    package static func error(_ failure: CommandFailure) -> String {
        text(.object(["status": .string(CommandStatus.usage.jsonStatus), "error": .object(object(encoding: failure))]))
    }

    /// Any encodable value in the one layout (files the commands write, such as key files, look alike too).
    package static func encode<T: Encodable>(_ value: T) -> String {
        text(.object(object(encoding: value)))
    }

    /// Indented text of a JSON value, in the one layout.
    package static func text(_ value: JSONValue) -> String {
        (try? JSONWriter.pretty(value))
            ?? #"{"error": {"message": "the output has no JSON form (a non-finite number)"}, "status": "error"}"#
    }

    /// The members of `value` encoded as JSON; a value that does not encode as an object is a programming
    /// error in the command, shown as `{"result": …}` rather than hidden.
    private static func object<T: Encodable>(encoding value: T) -> [JSONKey: JSONValue] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let parsed = try? JSONValue(parsing: Array(data)) else {
            return ["result": .string("unencodable \(T.self)")]
        }
        if case .object(let members) = parsed { return members }
        return ["result": parsed]
    }
}
