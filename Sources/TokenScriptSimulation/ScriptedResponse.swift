import TokenScriptEngine
import TokenScriptRuntime

/// The scripted answer to one attempt of an effect's request (scenarios and dry runs).
///
/// Notation (JSON): `"timeout"`, `"unreachable"` (no connection), `"success"` (= 200, no body), `"error"`
/// (= 500), a bare status `503`, or `{"status": 201, "body": …}` (`body`: any JSON; absent = no body).
public enum ScriptedResponse: Sendable, Hashable, CustomStringConvertible {
    case status(Int, body: SandboxValue?)
    case timeout
    case unreachable
    /// Not scripted: the egress policy refused the request, so nothing would be sent (the real transport's
    /// `refused` result). Notation `{"refused": reason}`.
    case refused(String)

    public static let defaultSuccess = ScriptedResponse.status(200, body: nil)

    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(notation value: SandboxValue, path: String) throws(Invalid) {
        switch value {
        case .string("timeout"): self = .timeout
        case .string("unreachable"): self = .unreachable
        case .string("success"): self = .defaultSuccess
        case .string("error"): self = .status(500, body: nil)
        case .int(let status) where (100...599).contains(status): self = .status(Int(status), body: nil)
        case .object(let members):
            for key in members.keys.sorted() where key != "status" && key != "body" {
                throw Invalid(description: "\(path): unknown field \"\(key)\" (expected status, body)")
            }
            guard case .int(let status)? = members["status"], (100...599).contains(status) else {
                throw Invalid(description: "\(path): status must be an HTTP status (100-599)")
            }
            self = .status(Int(status), body: members["body"])
        default:
            throw Invalid(
                description:
                    "\(path): expected \"timeout\", \"unreachable\", \"success\", "
                    + "\"error\", a status or {status, body}, not \(value.jsonText)"
            )
        }
    }

    /// Back to the notation (what snapshots and `--json` show).
    public var notation: SandboxValue {
        switch self {
        case .timeout: .string("timeout")
        case .unreachable: .string("unreachable")
        case .refused(let reason): .object(["refused": .string(reason)])
        case .status(let status, let body):
            body == nil ? .int(Int64(status)) : .object(["status": .int(Int64(status)), "body": body!])
        }
    }

    public var isSuccess: Bool { if case .status(let status, _) = self { (200..<300).contains(status) } else { false } }

    /// Retried by `sl:retry`: timeouts, connection failures, 5xx and 429.
    public var isRetryable: Bool {
        switch self {
        case .timeout, .unreachable: true
        case .status(let status, _): status >= 500 || status == 429
        case .refused: false
        }
    }

    public var description: String {
        switch self {
        case .timeout: "timeout"
        case .unreachable: "unreachable"
        case .refused: "refused"
        case .status(let status, let body): body.map { "\(status) \($0.jsonText)" } ?? "\(status)"
        }
    }
}

/// Scripted responses per effect name, consumed attempt by attempt (the anchor's attempt included), in the
/// order the calls happen. When an effect's list is exhausted, `fallback` answers (200, no body).
public struct ResponseScript: Sendable, Hashable {
    public var queues: [String: [ScriptedResponse]]
    public var fallback: ScriptedResponse

    public init(queues: [String: [ScriptedResponse]] = [:], fallback: ScriptedResponse = .defaultSuccess) {
        self.queues = queues
        self.fallback = fallback
    }

    /// `{"<effect>": [response, …]}` (a single response may stand without the list).
    public init(notation value: SandboxValue, path: String) throws(ScriptedResponse.Invalid) {
        self.init()
        try append(notation: value, path: path)
    }

    /// Appends more responses (a scenario step's `responses`) behind the ones still queued.
    public mutating func append(notation value: SandboxValue, path: String) throws(ScriptedResponse.Invalid) {
        guard let members = value.objectMembers else {
            throw ScriptedResponse.Invalid(description: "\(path): expected {\"<effect>\": [responses]}")
        }
        for name in members.keys.sorted() {
            let items: [SandboxValue]
            if case .array(let list) = members[name]! { items = list } else { items = [members[name]!] }
            for (index, item) in items.enumerated() {
                queues[name.string, default: []].append(
                    try ScriptedResponse(notation: item, path: "\(path).\(name)[\(index)]"))
            }
        }
    }

    /// The next response for `effect`, and whether it was scripted (false: the fallback).
    public mutating func next(for effect: String) -> (response: ScriptedResponse, scripted: Bool) {
        guard var queue = queues[effect], !queue.isEmpty else { return (fallback, false) }
        let response = queue.removeFirst()
        queues[effect] = queue
        return (response, true)
    }
}
