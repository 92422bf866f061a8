import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A running child of the devnet: the devnet's own executable with a child's arguments, standard output and
/// standard error in files under the logs directory (no pipe to fill and block it), stopped by its PID.
///
/// Readiness is the child's `READY http://…` line in its standard-output file, polled by the supervisor.
public final class DevnetChild: @unchecked Sendable {
    public let spec: DevnetChildSpec
    public let standardOutputPath: String
    public let standardErrorPath: String
    private let process = Process()

    /// Starts `executable` with the spec's arguments; the log files are created (replaced) in `logs`.
    public init(spec: DevnetChildSpec, executable: String, logs: String) throws {
        self.spec = spec
        standardOutputPath = logs + "/\(spec.name).out"
        standardErrorPath = logs + "/\(spec.name).err"
        for path in [standardOutputPath, standardErrorPath] {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw DevnetError("\(spec.name): cannot create its log file \(path)")
            }
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = spec.arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: standardOutputPath)
        process.standardError = FileHandle(forWritingAtPath: standardErrorPath)
        do { try process.run() } catch {
            throw DevnetError("\(spec.name): cannot start \(executable): \(error)")
        }
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    /// The exit status (128 + N for signal N); only once it has ended.
    public var exitStatus: Int32 {
        process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
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

    /// Sends `signal` to the child's PID (nothing once it has ended).
    public func send(_ signal: Int32) {
        if isRunning { _ = kill(pid, signal) }
    }
}
