import Foundation
import TokenScriptArithmetic
import TokenScriptRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// The parent's side of one execution on one worker: send the run frame, then serve log lines and
/// host calls until the done frame arrives, the deadline passes (SIGKILL), or the worker dies.
struct ExecutionRun {
    let worker: WorkerProcess
    let execution: SandboxExecution
    let context: HostCallContext
    let deadline: UInt64

    /// Mirrors TSW_MAX_HOST_CALLS in the worker.
    static let maxHostCalls = 100_000

    init(worker: WorkerProcess, execution: SandboxExecution) {
        self.worker = worker
        self.execution = execution
        context = HostCallContext(input: execution.input)
        // Limits are validated by the pool; saturating all the same, so no value can trap here.
        deadline = Monotonic.now.saturatingAdding(SaturatingTime.nanoseconds(seconds: execution.limits.timeoutSeconds))
    }

    /// Sends the run frame; false if the worker is gone.
    func start() -> Bool {
        let limits = execution.limits
        var w = WireWriter(frame: .run)
        w.u64(UInt64(clamping: limits.memoryBytes))
        w.u64(limits.instructions)
        w.u64(UInt64(clamping: limits.outputBytes))
        w.u64(UInt64(clamping: limits.resultBytes))
        switch execution.mode {
        case .deterministic(let seed, let time):
            w.u8(Wire.flagDeterministic)
            w.u64(seed)
            w.u64(UInt64(bitPattern: time))
        case .nondeterministic:
            w.u8(0)
            w.u64(UInt64.random(in: .min ... .max))
            w.u64(UInt64(bitPattern: Int64(Date().timeIntervalSince1970)))
        }
        w.u32(UInt32(execution.hostFunctions.count))
        for f in execution.hostFunctions { w.blob(Array(f.name.utf8)) }
        w.blob(Array(execution.source.utf8))
        carryInput(in: &w)
        return worker.send(w.finished())
    }

    /// Puts the input in the run frame when the execution may read it (`HostFunction.input`) and it fits, so
    /// the worker answers `host.input()` itself: one round trip less per execution. An input too large for a
    /// host reply or for the frame is left out, and its call is answered (refused) as before.
    private func carryInput(in frame: inout WireWriter) {
        guard execution.hostFunctions.contains(where: \.returnsInput) else { return }
        let start = frame.bytes.count
        frame.u8(1)
        frame.value(execution.input)
        // The same bound a reply of host.input() is held to (`answerHostCall`: its frame header, the ok byte and
        // the value), and room for such a reply in the run frame.
        let replyBytes = 5 + frame.bytes.count - start
        guard replyBytes <= min(execution.limits.hostReplyBytes, Wire.maxFrame - 16),
            start + replyBytes <= Wire.maxFrame
        else { return frame.bytes.removeSubrange(start...) }
    }

    /// Returns the result and whether the worker may serve another execution.
    func finish() -> (SandboxResult, Bool) {
        let functions = Dictionary(execution.hostFunctions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var hostCalls = 0
        while true {
            switch worker.readFrame(deadline: deadline) {
            case .timeout:
                worker.killAndReap()
                return (
                    result(
                        .limit, limit: .time,
                        message: "wall-clock deadline of \(execution.limits.timeoutSeconds) s exceeded"), false
                )
            case .closed:
                let ending = worker.reapAfterClose()
                return (result(.crashed, message: Self.describe(ending)), false)
            case .malformed:
                return (result(.crashed, message: "worker broke the protocol"), false)
            case .frame(let type, let payload):
                switch Wire.FrameType(rawValue: type) {
                case .log:
                    context.appendLog(String(decoding: payload, as: UTF8.self))
                    if context.logBytes > execution.limits.outputBytes + 16 {
                        return (result(.limit, limit: .output, message: "output limit exceeded"), false)
                    }
                case .hostCall:
                    hostCalls += 1
                    // The worker enforces the same cap; exceeding it here means the worker is not ours any more.
                    guard hostCalls <= Self.maxHostCalls, answerHostCall(payload, functions: functions) else {
                        return (result(.crashed, message: "worker broke the protocol (host call)"), false)
                    }
                    if context.logBytes > execution.limits.outputBytes {
                        return (result(.limit, limit: .output, message: "output limit exceeded"), false)
                    }
                case .done:
                    guard let done = try? decodeDone(payload) else {
                        return (result(.crashed, message: "worker broke the protocol (reply)"), false)
                    }
                    return done
                default:
                    return (result(.crashed, message: "worker broke the protocol (frame type \(type))"), false)
                }
            }
        }
    }

    private func result(_ status: SandboxResult.Status, limit: SandboxResult.Limit? = nil, message: String?)
        -> SandboxResult
    {
        SandboxResult(status: status, limit: limit, message: message, log: context.log, workerID: worker.pid)
    }

    /// Calls a granted host function; a name outside the capability set means a compromised worker.
    private func answerHostCall(_ payload: [UInt8], functions: [String: HostFunction]) -> Bool {
        var r = WireReader(payload)
        guard let name = try? r.string(), let function = functions[name],
            case .array(let arguments)? = try? r.value(root: "arguments")
        else { return false }
        var w = WireWriter(frame: .hostReply)
        do {
            if let refused = r.refused { throw HostFunctionError("host.\(name): \(refused)") }
            let value = try function.body(arguments, context)
            w.u8(1)
            w.value(value)
        } catch let error as HostFunctionError {
            w = WireWriter(frame: .hostReply)
            w.u8(0)
            w.blob(Array(error.message.utf8))
        } catch {
            w = WireWriter(frame: .hostReply)
            w.u8(0)
            w.blob(Array("host.\(name) failed".utf8))
        }
        // The worker refuses frames over 16 MiB; tell the script instead of breaking the channel.
        if w.bytes.count > min(execution.limits.hostReplyBytes, Wire.maxFrame - 16) {
            w = WireWriter(frame: .hostReply)
            w.u8(0)
            w.blob(Array("host.\(name): reply too large".utf8))
        }
        return worker.send(w.finished())
    }

    private func decodeDone(_ payload: [UInt8]) throws -> (SandboxResult, Bool) {
        var r = WireReader(payload)
        let status = try r.u8(), limit = try r.u8(), flags = try r.u8()
        let message = try r.string()
        let value = try r.value(root: "result")
        let instructions = try r.u64(), memory = try r.u64()
        var out = SandboxResult(
            status: .ok, log: context.log, instructions: instructions, memoryPeak: memory, workerID: worker.pid)
        switch status {
        case 0 where r.refused != nil:
            // A result with bytes that are not UTF-8 (or a non-finite number) has no exact JSON form.
            out.status = .error
            out.message = r.refused?.description
        case 0: out.value = value
        case 1: out.status = .error; out.message = message
        case 2:
            out.status = .limit
            out.message = message
            switch limit {
            case 1: out.limit = .memory
            case 2: out.limit = .instructions
            case 3: out.limit = .output
            default: throw WireError()
            }
        default: throw WireError()
        }
        return (out, flags & (Wire.doneExiting | Wire.doneRecycle) == 0)
    }

    static func describe(_ ending: WorkerProcess.Ending) -> String {
        switch ending {
        case .exited(let code): return "worker exited unexpectedly (status \(code))"
        case .signaled(let signal):
            let names: [Int32: String] = [
                SIGSEGV: "SIGSEGV", SIGSYS: "SIGSYS, blocked by the seccomp filter", SIGABRT: "SIGABRT",
                SIGBUS: "SIGBUS", SIGKILL: "SIGKILL", SIGXCPU: "SIGXCPU", SIGILL: "SIGILL", SIGFPE: "SIGFPE",
            ]
            return "worker crashed (signal \(signal) \(names[signal] ?? ""))".replacingOccurrences(of: " )", with: ")")
        }
    }
}
