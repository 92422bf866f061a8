import Foundation
import TokenScriptRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// A pool of pre-spawned, sandboxed Lua workers (sandbox.md §3, model D).
///
/// Each execution takes an idle worker (first in, first out, so executions rotate over workers),
/// runs on it with a wall-clock deadline, and gives it back — unless the worker was killed, crashed,
/// tripped a budget, hit its memory limit or broke the protocol, in which case it is discarded and a
/// fresh one is spawned in its place. A worker never holds data of two executions at once, and a
/// fresh `lua_State` is built for every execution.
public final class SandboxPool: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Number of workers (each runs one execution at a time).
        public var size: Int
        /// Worker executable; nil: `SandboxWorkerLocator.locate()`.
        public var workerPath: String?
        /// Largest `memoryBytes` an execution may ask for; sets the workers' RLIMIT_AS.
        public var maxMemoryBytes: Int

        public init(size: Int = 2, workerPath: String? = nil, maxMemoryBytes: Int = 512 << 20) {
            self.size = size
            self.workerPath = workerPath
            self.maxMemoryBytes = maxMemoryBytes
        }
    }

    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    public let configuration: Configuration
    let workerPath: String
    private let condition = NSCondition()
    /// Idle slots; nil means "spawn a worker for this slot on next use".
    private var idle: [WorkerProcess?] = []
    private var closed = false
    /// Workers still being spawned by the warm-up (each becomes an idle slot when done).
    private var warming = 0
    private let executors: ExecutorThreads

    /// Starts spawning `configuration.size` workers, so the first executions pay no start-up cost, and returns
    /// without waiting for them: every spawn in the process goes through one thread, and a caller on Swift's
    /// cooperative pool must not block on it (many pools starting at once stalled every task). An execution
    /// that arrives first waits for a warmed worker.
    public init(configuration: Configuration = .init()) throws {
        do { self.configuration = try configuration.validated() } catch {
            throw SetupError(description: error.description)
        }
        guard let path = configuration.workerPath ?? SandboxWorkerLocator.locate() else {
            throw SetupError(
                description:
                    "cannot find \(SandboxWorkerLocator.workerName) next to the executable; set TOKENSCRIPT_LUA_WORKER")
        }
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw SetupError(description: "the sandbox worker \(path) is not an executable file")
        }
        workerPath = path
        executors = ExecutorThreads(count: configuration.size)
        warming = max(1, configuration.size)
        for _ in 0..<warming { executors.submit { [self] in warmUp() } }
    }

    /// One warm-up spawn, on an executor thread (queued before any execution). A failed spawn leaves an empty
    /// slot: the execution that takes it spawns again and reports the error.
    private func warmUp() {
        let worker = try? WorkerProcess.spawn(path: workerPath, addressSpace: addressSpace)
        condition.lock()
        warming -= 1
        let isClosed = closed
        if !isClosed { idle.append(worker) }
        condition.broadcast()
        condition.unlock()
        if isClosed { worker?.killAndReap() }
    }

    deinit { shutdown() }

    /// Kills idle workers; executions in flight finish and their workers are dropped.
    public func shutdown() {
        condition.lock()
        closed = true
        let workers = idle
        idle.removeAll()
        condition.broadcast()
        condition.unlock()
        executors.stop()
        for worker in workers { worker?.killAndReap() }
    }

    /// Address-space limit: the Lua heap limit twice over (realloc copies) plus the VM and libc.
    var addressSpace: UInt64 { UInt64(configuration.maxMemoryBytes) * 2 + (256 << 20) }

    /// Process ids of the idle workers, once the warm-up has spawned them (tests: PDEATHSIG, rotation).
    public var idleWorkerIDs: [Int32] {
        condition.lock()
        defer { condition.unlock() }
        while warming > 0 && !closed { condition.wait() }
        return idle.compactMap { $0?.pid }
    }

    /// Runs on the pool's own threads, off the cooperative thread pool (an execution blocks its
    /// thread on the worker's channel).
    public func run(_ execution: SandboxExecution) async -> SandboxResult {
        await withCheckedContinuation { continuation in
            executors.submit { continuation.resume(returning: self.runBlocking(execution)) }
        }
    }

    /// Runs one execution on the calling thread, waiting for an idle worker if all are busy.
    public func runBlocking(_ execution: SandboxExecution) -> SandboxResult {
        if let refusal = validate(execution) { return refusal }
        var slot: WorkerProcess?
        condition.lock()
        while idle.isEmpty && !closed { condition.wait() }
        if closed {
            condition.unlock()
            return SandboxResult(status: .crashed, message: "sandbox pool is shut down")
        }
        slot = idle.removeFirst()
        condition.unlock()

        var result = SandboxResult(status: .crashed, message: "no worker")
        var keep: WorkerProcess?
        for attempt in 0..<2 {
            let worker: WorkerProcess
            if let existing = slot {
                worker = existing
            } else {
                do {
                    worker = try WorkerProcess.spawn(path: workerPath, addressSpace: addressSpace)
                } catch {
                    result = SandboxResult(status: .crashed, message: "cannot start worker: \(error)")
                    break
                }
            }
            slot = nil
            let run = ExecutionRun(worker: worker, execution: execution)
            // A worker that died while idle (killed from outside) cannot take the request: retry once.
            if !run.start() {
                worker.killAndReap()
                if attempt == 0 { continue }
                result = SandboxResult(status: .crashed, message: "worker unavailable", workerID: worker.pid)
                break
            }
            let (outcome, reusable) = run.finish()
            result = outcome
            keep = reusable ? worker : nil
            if !reusable { worker.killAndReap() }
            break
        }
        condition.lock()
        let isClosed = closed
        if !isClosed { idle.append(keep) }
        condition.signal()
        condition.unlock()
        if isClosed { keep?.killAndReap() }
        return result
    }

    private func validate(_ execution: SandboxExecution) -> SandboxResult? {
        let limits = execution.limits
        do { _ = try limits.validated() } catch { return SandboxResult(status: .error, message: error.description) }
        if execution.source.utf8.count > limits.sourceBytes {
            return SandboxResult(status: .error, message: "script is larger than \(limits.sourceBytes) bytes")
        }
        if limits.memoryBytes > configuration.maxMemoryBytes || limits.memoryBytes < 64 << 10 {
            return SandboxResult(
                status: .error, message: "memory limit must be between 64 KiB and \(configuration.maxMemoryBytes) bytes"
            )
        }
        if !(limits.timeoutSeconds > 0) || limits.instructions == 0 {
            return SandboxResult(status: .error, message: "timeout and instruction limit must be positive")
        }
        for f in execution.hostFunctions where !Self.isIdentifier(f.name) {
            return SandboxResult(status: .error, message: "host function name '\(f.name)' is not a Lua identifier")
        }
        return nil
    }

    /// ASCII letters, digits and underscore, not starting with a digit (plain bytes: no Unicode tables).
    static func isIdentifier(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard let first = bytes.first, bytes.count <= 64, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else {
            return false
        }
        return bytes.allSatisfy { b in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "_")
        }
    }
}

/// The pool is the production `ScriptRuntime`: the engine runs transitions through it without naming it.
extension SandboxPool: ScriptRuntime {}
