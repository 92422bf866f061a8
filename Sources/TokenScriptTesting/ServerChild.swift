import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `tokenscript` server (`node`, `anchor`, `devnet`) as a child process of a test, with its standard output and
/// error in files of its own directory, signalled by PID, and killed (SIGKILL) if a test leaves it running.
///
/// Every wait sleeps asynchronously. A test that blocked a thread here (a blocking pipe read, `usleep` in a loop)
/// would hold one of the few threads of the cooperative pool every test shares (two on a 2-core machine): the
/// whole run would stall while a server starts, and unrelated tests' deadlines would fire.
public final class ServerChild: @unchecked Sendable {
    public let process = Process()
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
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
    }

    deinit {
        if process.isRunning {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    public var pid: Int32 { process.processIdentifier }
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
            if !process.isRunning {
                throw ServerChildError(
                    "the child ended (status \(process.terminationStatus)) before \"\(prefix)\": \(errorOutput)")
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
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { throw ServerChildError("still running after \(seconds) s") }
        return process.terminationStatus
    }

    /// SIGTERM, then the exit status (at most `seconds` later: a graceful shutdown flushes and hands back its
    /// leases, and on a loaded two-core machine that has taken more than ten seconds).
    public func terminate(seconds: Double = 60) async throws -> Int32 {
        _ = Glibc.kill(process.processIdentifier, SIGTERM)
        return try await waitForExit(seconds: seconds)
    }

    /// SIGKILL, and waits until the child is gone.
    public func killNow() async throws {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        _ = try await waitForExit(seconds: 30)
    }
}

public struct ServerChildError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
