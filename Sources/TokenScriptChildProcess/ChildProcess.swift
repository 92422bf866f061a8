import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn` that inherits no descriptor but the three it is given, and is
/// reaped here with `waitpid`.
///
/// Why not Foundation's `Process`: on Linux it learns that a child ended when a socket it shares with the child
/// reaches end of file, and that socket is not close-on-exec. Any other child spawned at the same moment (ours, or
/// another `Process` between its scan of open descriptors and its spawn) inherits it, and then the first child's
/// end goes unnoticed for as long as the second lives: `waitUntilExit()` spun forever in a test run that way,
/// holding one of the cooperative pool's two threads. Here the child's end is `waitpid`'s answer, and every child
/// we start closes every descriptor above 2 it did not ask for, so no child of ours holds another's pipe open.
public final class ChildProcess: @unchecked Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A file, created or truncated (mode 0600).
        case file(String)
        /// A descriptor of this process (a pipe's end, say); the child gets a copy.
        case descriptor(Int32)
        /// This process's own stream of the same number.
        case inherited
    }

    public let pid: pid_t
    private let lock = NSLock()
    private var waitStatus: Int32?

    /// Starts `executable` with `arguments` (not including the executable itself).
    /// - Parameters:
    ///   - environment: added to (and replacing in) this process's environment; the whole environment when
    ///     `inheritsEnvironment` is false.
    ///   - directory: the child's working directory (this process's when nil).
    ///   - newProcessGroup: the child leads a process group of its own, so that `sendToGroup` reaches what it
    ///     starts in turn (a shell's commands).
    /// Signals: every one at its default action and none blocked, whatever this process ignores or blocks.
    public init(
        executable: String, arguments: [String], environment: [String: String] = [:], inheritsEnvironment: Bool = true,
        standardInput: Stream = .null, standardOutput: Stream = .null, standardError: Stream = .null,
        directory: String? = nil,
        newProcessGroup: Bool = false
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(Int32(0), standardInput), (1, standardOutput), (2, standardError)] {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .descriptor(let descriptor): posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            case .inherited: break
            }
        }
        if let directory {
            guard SpawnActions.addChangeDirectory(&actions, directory) else {
                throw ChildProcessError("cannot start \(executable): this C library cannot set a child's directory")
            }
        }
        try SpawnActions.closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var merged = inheritsEnvironment ? ProcessInfo.processInfo.environment : [:]
        for (key, value) in environment { merged[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw ChildProcessError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        pid = child
    }

    deinit {
        // Never leave a child, nor a zombie, behind a dropped value.
        if isRunning {
            _ = kill(pid, SIGKILL)
            _ = waitUntilExit()
        }
    }

    /// Whether the child still runs (reaping it once it has ended).
    public var isRunning: Bool {
        lock.withLock {
            if waitStatus != nil { return false }
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno == ECHILD) {
                waitStatus = reaped == pid ? status : 0
                return false
            }
            return true
        }
    }

    /// The exit status once the child has ended (128 + N after signal N), nil while it runs.
    public var exitStatus: Int32? {
        guard !isRunning, let status = lock.withLock({ waitStatus }) else { return nil }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Sends `signal` to the child (nothing once it has ended and been reaped: its PID may be another's by then).
    public func send(_ signal: Int32) {
        lock.withLock { if waitStatus == nil { _ = kill(pid, signal) } }
    }

    /// Sends `signal` to the child's process group (see `newProcessGroup`).
    public func sendToGroup(_ signal: Int32) {
        lock.withLock { if waitStatus == nil { _ = kill(-pid, signal) } }
    }

    /// Blocks the calling thread until the child ends and returns its exit status: for threads of their own and
    /// for children already signalled to end, never to wait for a running server on the cooperative pool.
    @discardableResult
    public func waitUntilExit() -> Int32 {
        lock.withLock {
            guard waitStatus == nil else { return }
            var status: Int32 = 0
            var reaped: pid_t
            repeat { reaped = waitpid(pid, &status, 0) } while reaped < 0 && errno == EINTR
            waitStatus = reaped == pid ? status : 0
        }
        return exitStatus ?? 0
    }

    /// Waits, sleeping asynchronously, until the child ends or `seconds` pass; its exit status, nil if it runs on.
    public func waitForExit(seconds: Double) async throws -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning {
            if Date() >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return exitStatus
    }
}

/// Why a child could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
