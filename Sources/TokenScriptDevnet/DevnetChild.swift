import Foundation
import TokenScriptChildProcess

#if canImport(Glibc)
    import Glibc
#endif

/// A running child of the devnet: the devnet's own executable with a child's arguments, standard output and
/// standard error in files under the logs directory (no pipe to fill and block it), stopped by its PID.
///
/// A `ChildProcess`, so every signal's action is the default and none is blocked: the devnet ignores SIGTERM and
/// SIGINT itself (it stops its children first), and an ignored signal would otherwise stay ignored in the child.
/// Readiness is the child's `READY http://…` line in its standard-output file, polled by the supervisor.
public final class DevnetChild: @unchecked Sendable {
    public let spec: DevnetChildSpec
    public let standardOutputPath: String
    public let standardErrorPath: String
    private let child: ChildProcess

    /// Starts `executable` with the spec's arguments; the log files are created (replaced) in `logs`.
    public init(spec: DevnetChildSpec, executable: String, logs: String) throws {
        self.spec = spec
        standardOutputPath = logs + "/\(spec.name).out"
        standardErrorPath = logs + "/\(spec.name).err"
        do {
            // The child watches for this PID as its parent and stops itself when the devnet is gone, even by SIGKILL.
            child = try ChildProcess(
                executable: executable, arguments: spec.arguments,
                environment: ["TOKENSCRIPT_PARENT_PID": String(getpid())],
                standardOutput: .file(standardOutputPath), standardError: .file(standardErrorPath))
        } catch {
            throw DevnetError("\(spec.name): \(error)")
        }
    }

    public var pid: Int32 { child.pid }

    /// Whether the child still runs (reaping it when it has ended).
    public var isRunning: Bool { child.isRunning }

    /// The exit status (128 + N for signal N); only once it has ended.
    public var exitStatus: Int32 { child.exitStatus ?? 0 }

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
    public func send(_ signal: Int32) { child.send(signal) }
}
