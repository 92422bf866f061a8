import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A running child of the devnet: the devnet's own executable with a child's arguments, standard output and
/// standard error in files under the logs directory (no pipe to fill and block it), stopped by its PID.
///
/// Spawned with `posix_spawn` and every signal's default action and an empty mask: the devnet ignores SIGTERM and
/// SIGINT itself (it stops its children first), and an ignored signal would otherwise stay ignored in the child.
/// Reaped here with `waitpid`. Readiness is the child's `READY http://…` line in its standard-output file, polled
/// by the supervisor.
public final class DevnetChild: @unchecked Sendable {
    public let spec: DevnetChildSpec
    public let standardOutputPath: String
    public let standardErrorPath: String
    public let pid: Int32
    private let lock = NSLock()
    private var waitStatus: Int32?

    /// Starts `executable` with the spec's arguments; the log files are created (replaced) in `logs`.
    public init(spec: DevnetChildSpec, executable: String, logs: String) throws {
        self.spec = spec
        standardOutputPath = logs + "/\(spec.name).out"
        standardErrorPath = logs + "/\(spec.name).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, standardErrorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([executable] + spec.arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The child watches for this PID as its parent and stops itself when the devnet is gone, even by SIGKILL.
        var environment: [UnsafeMutablePointer<CChar>?] = []
        var cursor = environ
        while let entry = cursor.pointee {
            if !String(cString: entry).hasPrefix("TOKENSCRIPT_PARENT_PID=") { environment.append(strdup(entry)) }
            cursor += 1
        }
        environment.append(strdup("TOKENSCRIPT_PARENT_PID=\(getpid())"))
        environment.append(nil)
        defer { environment.forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, &attributes, argv, environment)
        guard spawned == 0 else {
            throw DevnetError("\(spec.name): cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        pid = child
    }

    deinit {
        // Never leave a zombie, nor a child, behind a dropped value.
        if isRunning {
            _ = kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    /// Whether the child still runs (reaping it when it has ended).
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

    /// The exit status (128 + N for signal N); only once it has ended.
    public var exitStatus: Int32 {
        let status = lock.withLock { waitStatus } ?? 0
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// The URL of the child's `READY http://…` line once printed, nil while it is still starting.
    /// - Throws: `DevnetError` naming the child and quoting its stderr when it ended without READY.
    public func readiness() throws -> String? {
        if let url = readyURL() { return url }
        guard isRunning else {
            // It may have printed READY just before it ended.
            if let url = readyURL() { return url }
            throw failure("exited with status \(exitStatus) before READY")
        }
        return nil
    }

    /// The child's failure, with the end of its standard error.
    public func failure(_ what: String) -> DevnetError {
        DevnetError.child(spec.name, what, standardErrorTail: standardErrorTail(), logFile: standardErrorPath)
    }

    private func readyURL() -> String? {
        guard let text = try? String(contentsOfFile: standardOutputPath, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("READY http://") {
            return String(line.dropFirst("READY ".count)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// The last `lines` lines of standard error.
    public func standardErrorTail(lines: Int = 12) -> String {
        guard let text = try? String(contentsOfFile: standardErrorPath, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// Sends `signal` to the child's PID (nothing once it has ended and been reaped).
    public func send(_ signal: Int32) {
        if isRunning { _ = kill(pid, signal) }
    }
}
