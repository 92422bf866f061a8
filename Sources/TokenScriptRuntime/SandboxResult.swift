import TokenScriptJSON

/// What one execution came to, as a value with a reason (never a thrown error: a failing script
/// is an ordinary outcome for the host).
public struct SandboxResult: Sendable, Equatable {
    public enum Status: String, Sendable {
        case ok, error, limit, crashed
    }

    /// Which budget ended the execution when `status == .limit`.
    public enum Limit: String, Sendable {
        case memory, instructions, time, output
    }

    public var status: Status
    public var limit: Limit?
    public var message: String?
    /// The script's first return value (nil unless `status == .ok`).
    public var value: SandboxValue?
    /// Captured `print` and `host.log` lines, in order.
    public var log: [String]
    /// Budget units charged (VM instructions in every coroutine plus C library work, see the
    /// sandbox article's charging model) and peak Lua heap bytes, when the worker replied.
    public var instructions: UInt64
    public var memoryPeak: UInt64
    /// Process id of the worker that ran the execution (diagnostics; lets tests see worker rotation).
    public var workerID: Int32

    public init(
        status: Status, limit: Limit? = nil, message: String? = nil, value: SandboxValue? = nil,
        log: [String] = [], instructions: UInt64 = 0, memoryPeak: UInt64 = 0, workerID: Int32 = 0
    ) {
        self.status = status
        self.limit = limit
        self.message = message
        self.value = value
        self.log = log
        self.instructions = instructions
        self.memoryPeak = memoryPeak
        self.workerID = workerID
    }

    /// The CLI's JSON object: `status`, `limit`, `message`, `result`, `log`, in that order.
    /// Contains nothing node-specific, so deterministic runs compare byte for byte.
    public var jsonText: String {
        var out = "{\"status\":" + JSONWriter.quoted(status.rawValue)
        out += ",\"limit\":" + (limit.map { JSONWriter.quoted($0.rawValue) } ?? "null")
        out += ",\"message\":" + (message.map { JSONWriter.quoted($0) } ?? "null")
        out += ",\"result\":" + (value ?? .null).jsonText
        out += ",\"log\":" + SandboxValue.array(log.map(SandboxValue.string)).jsonText
        out += "}"
        return out
    }
}
