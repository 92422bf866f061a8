import Foundation
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `tokenscript devnet` as a user runs it: the built binary as a `ServerChild` (output in files, signalled by
/// PID, killed if a test leaves it running), with what only a devnet prints: its READY line and its children.
final class DevnetProcess {
    let child: ServerChild

    init(arguments: [String]) throws {
        child = try ServerChild(arguments: ["devnet"] + arguments)
    }

    /// The devnet's own PID.
    var devnetPID: Int32 { child.pid }
    var output: String { child.output }
    var errorOutput: String { child.errorOutput }

    /// Waits for the `DEVNET READY <manifest>` line and returns the manifest's path.
    func waitForReady(seconds: Double = 120) async throws -> String {
        try await child.waitForLine(prefix: "DEVNET READY ", seconds: seconds)
    }

    /// Waits (at most `seconds`) for the devnet to end and returns its exit status.
    func waitForExit(seconds: Double = 60) async throws -> Int32 { try await child.waitForExit(seconds: seconds) }

    /// The PID the summary printed for `name` (`… name  URL  pid N`).
    func pid(of name: String) -> Int32? {
        let line = output.split(separator: "\n").first { $0.contains("  \(name)  ") }
        return line.flatMap { Int32($0.split(separator: " ").last ?? "") }
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
