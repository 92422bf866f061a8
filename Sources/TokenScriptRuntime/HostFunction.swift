/// A named function a script may call as `host.NAME(...)`. The call travels from the worker to
/// the parent as a message and the parent's answer travels back; the script never runs host code
/// in its own process. Which functions an execution gets is its capability set: only the functions
/// passed with the execution exist in the script's `host` table, and the parent refuses others.
public struct HostFunction: Sendable {
    public typealias Body = @Sendable (_ arguments: [SandboxValue], _ context: HostCallContext) throws -> SandboxValue

    public let name: String
    /// Called by the runtime that runs the execution (the sandbox pool answers the worker's host calls).
    package let body: Body
    /// The function returns the execution's input and nothing else (`input`), so a runtime may hand the
    /// input over with the execution and let the worker answer it without a call.
    package let returnsInput: Bool

    /// `name` must be a Lua identifier.
    public init(name: String, body: @escaping Body) {
        self.init(name: name, returnsInput: false, body: body)
    }

    private init(name: String, returnsInput: Bool, body: @escaping Body) {
        self.name = name
        self.body = body
        self.returnsInput = returnsInput
    }

    /// `host.log(...)`: appends its arguments, tab-separated, to the execution's log.
    public static let log = HostFunction(name: "log") { arguments, context in
        context.appendLog(arguments.map(\.logText).joined(separator: "\t"))
        return .null
    }

    /// `host.input()`: the execution's input value.
    public static let input = HostFunction(name: "input", returnsInput: true) { _, context in context.input }
}

/// A host function's failure: becomes a Lua error in the script with this message.
public struct HostFunctionError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Per-execution state host functions may read or add to. Used by one thread at a time.
public final class HostCallContext {
    public let input: SandboxValue
    package private(set) var log: [String] = []
    package private(set) var logBytes = 0

    package init(input: SandboxValue) { self.input = input }

    public func appendLog(_ line: String) {
        log.append(line)
        logBytes += line.utf8.count + 1
    }
}

extension SandboxValue {
    package var logText: String {
        switch self {
        case .string(let s): return s
        default: return jsonText
        }
    }
}
