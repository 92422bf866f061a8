import Foundation
import TokenScriptChildProcess

#if canImport(Glibc)
    import Glibc
#endif

/// A `tokenscript` server (`node`, `anchor`, `devnet`) as a child process of a test, with its standard output and
/// error in files of its own directory, signalled by PID, and killed (SIGKILL) if a test leaves it running.
///
/// A `ChildProcess`, not Foundation's `Process`, whose `waitUntilExit()` once spun forever here in `deinit` (see
/// `ChildProcess`); dropped while it runs, the child is killed and reaped.
///
/// Every wait sleeps asynchronously. A test that blocked a thread here (a blocking pipe read, `usleep` in a loop)
/// would hold one of the few threads of the cooperative pool every test shares (two on a 2-core machine): the
/// whole run would stall while a server starts, and unrelated tests' deadlines would fire.
public final class ServerChild: @unchecked Sendable {
    private let process: ChildProcess
    private let directory: TemporaryDirectory
    public let outputPath: String
    public let errorPath: String

    /// Starts the built `tokenscript` with `arguments` (e.g. `["node", "--listen", "127.0.0.1:0", …]`), in this
    /// process's environment with `environment` added (a test-only hook such as `TOKENSCRIPT_CRASH_POINT`).
    public init(
        arguments: [String], environment: [String: String] = [:],
        executable: String = TestPaths.executable("tokenscript")
    ) throws {
        directory = try TemporaryDirectory()
        outputPath = directory.path + "/stdout"
        errorPath = directory.path + "/stderr"
        process = try ChildProcess(
            executable: executable, arguments: arguments, environment: environment, standardOutput: .file(outputPath),
            standardError: .file(errorPath))
    }

    public var pid: Int32 { process.pid }
    public var isRunning: Bool { process.isRunning }
    /// The exit status once the child has ended (128 + N after signal N), nil while it runs.
    public var exitStatus: Int32? { process.exitStatus }

    /// Sends `signal` (SIGSTOP, SIGCONT, …) to the child; nothing once it has ended.
    public func send(_ signal: Int32) { process.send(signal) }
    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    public var errorOutput: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// The rest of the first output line starting with `prefix`, once printed.
    /// - Throws: `ServerChildError` when the child ends first or nothing comes within `seconds`.
    public func waitForLine(prefix: String, seconds: Double = 120) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line.dropFirst(prefix.count))
            }
            if let status = process.exitStatus {
                throw ServerChildError("the child ended (status \(status)) before \"\(prefix)\": \(errorOutput)")
            }
            if Date() >= deadline { throw ServerChildError("no \"\(prefix)\" within \(seconds) s: \(errorOutput)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for `READY http://HOST:PORT` (`host`: 127.0.0.1 unless the child listens elsewhere, such as its
    /// network namespace's address) and returns the port.
    public func waitForReady(host: String = "127.0.0.1", seconds: Double = 120) async throws -> Int {
        let rest = try await waitForLine(prefix: "READY http://\(host):", seconds: seconds)
        guard let port = Int(rest) else { throw ServerChildError("READY names no port: \(rest)") }
        return port
    }

    /// Waits (at most `seconds`) for the child to end and returns its exit status.
    public func waitForExit(seconds: Double = 60) async throws -> Int32 {
        guard let status = try await process.waitForExit(seconds: seconds) else {
            throw ServerChildError("still running after \(seconds) s")
        }
        return status
    }

    /// SIGTERM, then the exit status (at most `seconds` later: a graceful shutdown flushes and hands back its
    /// leases, and on a loaded two-core machine that has taken more than ten seconds).
    public func terminate(seconds: Double = 60) async throws -> Int32 {
        process.send(SIGTERM)
        return try await waitForExit(seconds: seconds)
    }

    /// SIGKILL, and blocks until the child is gone (a moment): for cleanup where nothing can be awaited.
    public func stopNow() {
        process.send(SIGKILL)
        process.waitUntilExit()
    }

    /// SIGKILL, and waits until the child is gone.
    public func killNow() async throws {
        process.send(SIGKILL)
        _ = try await waitForExit(seconds: 30)
    }
}

public struct ServerChildError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
