import Foundation
import TokenScriptChildProcess

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

        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable: executable, arguments: arguments, environment: environment, standardOutput: .file(outPath),
                standardError: .file(errPath))
        } catch {
            throw NSError(domain: "Subprocess", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(error)"])
        }
        var peakKiB = 0
        while child.isRunning {
            peakKiB = max(peakKiB, highWaterMarkKiB(child.pid))
            usleep(1000)
        }
        return Outcome(
            status: child.exitStatus ?? 0,
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
