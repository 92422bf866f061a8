/// Per-execution budgets. Memory, instructions and output are enforced inside the worker;
/// the wall-clock deadline is enforced by the parent with SIGKILL. In deterministic mode the instruction
/// budget (VM instructions in every coroutine plus charged library work, see the sandbox article's
/// "Charging model") decides the outcome; the deadline is a backstop sized so that the default budget
/// finishes first even on a machine ten times slower than the one we measured (about 0.5 s for 50M units).
public struct SandboxLimits: Sendable, Equatable {
    /// Bytes the Lua allocator may hold (default 64 MiB).
    public var memoryBytes: Int
    /// Instruction units: Lua VM instructions in every coroutine plus library work charged by size
    /// (default 50,000,000).
    public var instructions: UInt64
    /// Wall-clock seconds before the worker is killed (default 6: a backstop, never the deciding limit).
    public var timeoutSeconds: Double
    /// Bytes of captured log (print and host.log; default 64 KiB).
    public var outputBytes: Int
    /// Encoded bytes of the returned value and of each host call's arguments (default 1 MiB).
    public var resultBytes: Int
    /// Bytes of script source accepted (default 4 MiB; catalogue P01).
    public var sourceBytes: Int
    /// Encoded bytes of one host-function reply, e.g. `host.input()` (default 8 MiB; at most 16 MiB,
    /// the channel's frame limit). A larger reply becomes a Lua error in the script.
    public var hostReplyBytes: Int

    public init(
        memoryBytes: Int = 64 << 20, instructions: UInt64 = 50_000_000, timeoutSeconds: Double = 6,
        outputBytes: Int = 64 << 10, resultBytes: Int = 1 << 20, sourceBytes: Int = 4 << 20,
        hostReplyBytes: Int = 8 << 20
    ) {
        self.memoryBytes = memoryBytes
        self.instructions = instructions
        self.timeoutSeconds = timeoutSeconds
        self.outputBytes = outputBytes
        self.resultBytes = resultBytes
        self.sourceBytes = sourceBytes
        self.hostReplyBytes = hostReplyBytes
    }
}
