import Foundation
import TokenScriptArithmetic

#if canImport(Glibc)
    import Glibc
#endif

/// One pre-spawned worker: its pid and the parent's end of the channel. Owned by one thread at a
/// time (the pool hands it out), so it needs no locking.
final class WorkerProcess: @unchecked Sendable {
    let pid: pid_t
    private let fd: Int32
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// Receive buffer, reused across reads.
    private var chunk = [UInt8](repeating: 0, count: 65536)
    private var reaped = false

    private init(pid: pid_t, fd: Int32) {
        self.pid = pid
        self.fd = fd
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// posix_spawn (never fork: the service is multi-threaded and may be large) on the spawner
    /// thread, with the child's socket end as fd 3, default signal dispositions and an empty mask,
    /// and a minimal environment. Every other descriptor we create is CLOEXEC; the worker also
    /// closes anything else it inherited before reading input.
    static func spawn(path: String, addressSpace: UInt64) throws -> WorkerProcess {
        let outcome: Result<WorkerProcess, SpawnError> = SpawnerThread.shared.perform {
            var fds: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
                return .failure(SpawnError(description: "socketpair: \(String(cString: strerror(errno)))"))
            }
            // Move the child's end above 3 so dup2 onto 3 always clears CLOEXEC.
            let childEnd = fcntl(fds[1], F_DUPFD_CLOEXEC, 10)
            close(fds[1])
            defer { close(childEnd) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, childEnd, 3)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var noSignals = sigset_t()
            sigemptyset(&noSignals)
            var allSignals = sigset_t()
            sigfillset(&allSignals)
            posix_spawnattr_setsigmask(&attributes, &noSignals)
            posix_spawnattr_setsigdefault(&attributes, &allSignals)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            let arguments = [path, "--serve", String(getpid()), String(addressSpace)]
            let environment = ["TZ=UTC0", "LC_ALL=C"]
            var argv = arguments.map { strdup($0) } + [nil]
            var envp = environment.map { strdup($0) } + [nil]
            defer {
                argv.forEach { free($0) }
                envp.forEach { free($0) }
            }
            var pid: pid_t = 0
            let rc = posix_spawn(&pid, path, &actions, &attributes, &argv, &envp)
            guard rc == 0 else {
                close(fds[0])
                return .failure(SpawnError(description: "posix_spawn \(path): \(String(cString: strerror(rc)))"))
            }
            return .success(WorkerProcess(pid: pid, fd: fds[0]))
        }
        return try outcome.get()
    }

    deinit {
        close(fd)
        if !reaped {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    /// Writes a whole frame; false if the worker is gone (MSG_NOSIGNAL: no SIGPIPE for the service).
    func send(_ frame: [UInt8]) -> Bool {
        frame.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    enum ReadOutcome {
        case frame(UInt8, [UInt8])
        case timeout
        case closed
        case malformed
    }

    /// Reads the next frame, waiting at most until `deadline` (CLOCK_MONOTONIC nanoseconds).
    func readFrame(deadline: UInt64) -> ReadOutcome {
        while true {
            let available = pending.count - pendingStart
            if available >= 5 {
                var n = 0
                for i in 0..<4 { n |= Int(pending[pendingStart + i]) << (8 * i) }
                if n < 1 || n > Wire.maxFrame { return .malformed }
                if available >= 4 + n {
                    let type = pending[pendingStart + 4]
                    let payload = Array(pending[(pendingStart + 5)..<(pendingStart + 4 + n)])
                    pendingStart += 4 + n
                    if pendingStart == pending.count {
                        pending.removeAll(keepingCapacity: pending.capacity <= 1 << 20)
                        pendingStart = 0
                    }
                    return .frame(type, payload)
                }
            }
            if pendingStart > 0 {
                pending.removeFirst(pendingStart)
                pendingStart = 0
            }
            let now = Monotonic.now
            if now >= deadline { return .timeout }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let waitMs = Int32(min((deadline - now).saturatingAdding(999_999) / 1_000_000, 60_000))
            let ready = poll(&pfd, 1, waitMs)
            if ready < 0 {
                if errno == EINTR { continue }
                return .closed
            }
            if ready == 0 { continue }
            let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .closed
            }
            if got == 0 { return .closed }
            pending.append(contentsOf: chunk[0..<got])
        }
    }

    /// How the worker ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// Waits briefly for a worker that closed its channel to finish exiting, then SIGKILLs it.
    func reapAfterClose() -> Ending {
        var status: Int32 = 0
        for _ in 0..<200 {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                reaped = true
                return Self.ending(status)
            }
            usleep(500)
        }
        return killAndReap()
    }

    /// SIGKILL and reap (deadline, misbehaviour, budget trip, recycle).
    @discardableResult
    func killAndReap() -> Ending {
        if reaped { return .signaled(SIGKILL) }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        return Self.ending(status)
    }

    private static func ending(_ status: Int32) -> Ending {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}

enum Monotonic {
    static var now: UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
