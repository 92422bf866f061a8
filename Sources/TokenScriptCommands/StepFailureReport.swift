import Foundation
import TokenScriptRuntime
import TokenScriptSimulation

/// A failed step as `test` and `dry-run` show it, in text and `--json`: the trigger, the Lua error with its place
/// in the document (`flight-ticket.xml:76: trigger lua-error: attempt to index a nil value`), and the delivery.
struct StepFailureReport: Encodable, Hashable {
    /// The journal sequence of the delivery whose transition failed.
    var sequence: UInt64
    /// The scenario step it belongs to (1-based), in `test`; nil in `dry-run`.
    var step: Int?
    var trigger: String
    /// The whole message, its Lua positions as `file:line:`.
    var message: String
    /// The document and line of the first Lua position, when the message has one.
    var file: String?
    var line: Int?
    /// The error without its position (`attempt to index a nil value (local 'x')`).
    var error: String

    /// Nil unless the delivery's transition failed. `file` is the document as the user should see it.
    init?(_ delivery: SimulatedDelivery, step: Int? = nil, file: String) {
        guard case .failed(let trigger, let raw) = delivery.disposition else { return nil }
        let located = delivery.failureLocation
        self.sequence = delivery.sequence
        self.step = step
        self.trigger = trigger
        self.message = located?.text(file: file) ?? raw
        self.line = located?.first?.line
        self.file = line == nil ? nil : file
        self.error = located?.detail ?? raw
    }

    /// The `--json` object of `dry-run` (whose report is built from values).
    var value: SandboxValue {
        var members: [String: SandboxValue] = [
            "sequence": .int(Int64(clamping: sequence)), "trigger": .string(trigger), "message": .string(message),
            "error": .string(error),
        ]
        if let step { members["step"] = .int(Int64(step)) }
        if let file { members["file"] = .string(file) }
        if let line { members["line"] = .int(Int64(line)) }
        return .object(members)
    }

    /// `step 2 (sequence 3): trigger lua-error failed: flight-ticket.xml:76: trigger lua-error: attempt to …`.
    var text: String {
        let place = step.map { "step \($0) (delivery \(sequence))" } ?? "delivery \(sequence)"
        return "\(place): trigger \(trigger) failed: \(message)"
    }
}

/// One line a transition wrote with `print`.
struct PrintedLine: Encodable, Hashable {
    var sequence: UInt64
    var step: Int?
    var trigger: String?
    var text: String

    static func lines(of delivery: SimulatedDelivery, step: Int? = nil) -> [PrintedLine] {
        delivery.log.map {
            PrintedLine(sequence: delivery.sequence, step: step, trigger: delivery.disposition.trigger, text: $0)
        }
    }

    /// `print (step 2, trigger lounge-access): hello`.
    var rendered: String {
        var place = step.map { ["step \($0)"] } ?? ["delivery \(sequence)"]
        if let trigger { place.append("trigger \(trigger)") }
        return "print (\(place.joined(separator: ", "))): \(text)"
    }
}

enum DocumentPath {
    /// `path` relative to the current directory when it lies under it (`TokenScripts/flight-ticket.xml`), as given
    /// otherwise: how messages name a document.
    static func display(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let prefix = current.hasSuffix("/") ? current : current + "/"
        return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
    }
}
