import Foundation

/// Runs a built executable as a child process and reports what a user would see, plus its peak memory.
///
/// The memory figure is the child's own `VmHWM`, sampled from `/proc` while it runs: `ru_maxrss` from
/// `wait4` would not do, because a child started with `posix_spawn` shares the parent's memory until it
/// execs and the kernel carries the parent's peak over into the child's `ru_maxrss`.
public enum Subprocess {
    public struct Outcome: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
        /// Peak resident set size of the child, in KiB, as sampled every millisecond.
        public var maximumResidentKiB: Int
    }

    /// Runs the child from async code: the wait happens on a thread of its own, never on the cooperative pool. A
    /// test that waited there (this polls with `usleep` until the child exits) would hold one of its few threads
    /// (two on a 2-core machine): two long children at once and every other test of the process stalls, and
    /// deadlines measured by real clocks elsewhere (an HTTP call's, a lease's) fire.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:]
    ) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try runBlocking(executable, arguments, environment: environment) })
            }.start()
        }
    }

    /// Runs the child and waits for it on the calling thread: for synchronous code only.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> Outcome
    {
        try runBlocking(executable, arguments, environment: environment)
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String])
        throws -> Outcome
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ts-subprocess-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outPath = directory.appendingPathComponent("out").path
        let errPath = directory.appendingPathComponent("err").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw NSError(
                domain: "Subprocess", code: Int(spawned),
                userInfo: [
                    NSLocalizedDescriptionKey: "cannot spawn \(executable): \(String(cString: strerror(spawned)))"
                ])
        }
        var status: Int32 = 0
        var peakKiB = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { break }
            peakKiB = max(peakKiB, highWaterMarkKiB(pid))
            usleep(1000)
        }
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(
            status: exitStatus,
            standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "",
            maximumResidentKiB: peakKiB)
    }

    /// `VmHWM` of a running process, in KiB (0 once it has exited).
    private static func highWaterMarkKiB(_ pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
    }
}
