import Foundation
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `tokenscript devnet` as a user runs it: the built binary as a child process, its output in files, signalled
/// by PID. Killed in deinit if a test left it running.
final class DevnetProcess {
    let process = Process()
    let outputPath: String
    let errorPath: String

    init(arguments: [String], directory: String) throws {
        outputPath = directory + "/devnet.out"
        errorPath = directory + "/devnet.err"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: TestPaths.executable("tokenscript"))
        process.arguments = ["devnet"] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
    }

    deinit {
        if process.isRunning {
            _ = kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var errorOutput: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits for the `DEVNET READY <manifest>` line and returns the manifest's path.
    func waitForReady(seconds: Double = 60) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("DEVNET READY ") }) {
                return String(line.dropFirst("DEVNET READY ".count))
            }
            if !process.isRunning {
                throw Failure(description: "devnet ended (\(process.terminationStatus)) before READY: \(errorOutput)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure(description: "no DEVNET READY within \(seconds) s; stderr: \(errorOutput)")
    }

    /// Waits (at most `seconds`) for the devnet to end and returns its exit status.
    func waitForExit(seconds: Double = 60) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { throw Failure(description: "devnet still running after \(seconds) s") }
        return process.terminationStatus
    }

    /// The PID the summary printed for `name` (`… name  URL  pid N`).
    func pid(of name: String) -> Int32? {
        let line = output.split(separator: "\n").first { $0.contains("  \(name)  ") }
        return line.flatMap { Int32($0.split(separator: " ").last ?? "") }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// PIDs of live processes whose command line contains `text` (a test's own directory): the devnet and its
    /// children name their data directory, so after the devnet has ended this must be empty.
    static func processes(naming text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), pid != getpid(),
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                String(decoding: data, as: UTF8.self).contains(text),
                !isZombie(pid)
            else { return nil }
            return pid
        }
    }

    private static func isZombie(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = status.lastIndex(of: ")")
        else { return false }
        return status[status.index(close, offsetBy: 2)] == "Z"
    }
}
