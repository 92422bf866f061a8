import Foundation
import TokenScriptChildProcess
import TokenScriptTesting

/// A fresh-clone stand-in for running README commands: a copy of the checkout's working files in a temporary
/// directory, `../shared` beside it (a link), the checkout's `.venv` (a link, made up to date first), a scratch
/// `HOME`, and `PATH` starting with the directory of the built `tokenscript` — what the README's alias does.
final class ReadmeSandbox: @unchecked Sendable {
    private let temporary: TemporaryDirectory
    /// The copy of the repository, where every command runs.
    let repository: String
    private let environment: [String: String]

    /// Build products, version control and caches are not copied: a fresh clone has none of them.
    static let excludedEntries: Set<String> = [".git", ".build", ".venv", ".swiftpm", "Package.resolved"]

    init() async throws {
        temporary = try TemporaryDirectory()
        repository = temporary.path + "/swift-tokenscript"
        let home = temporary.path + "/home"
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: repository, withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: home, withIntermediateDirectories: true)
        let root = TestPaths.packageRoot
        for entry in try fileManager.contentsOfDirectory(atPath: root).sorted()
        where !Self.excludedEntries.contains(entry) && !entry.hasPrefix(".build") {
            let copy = try await Subprocess.run("/bin/cp", ["-a", root + "/" + entry, repository + "/"])
            guard copy.status == 0 else {
                throw ReadmeSandboxError("cannot copy \(entry): \(copy.standardError)")
            }
        }
        if TestPaths.sharedIsPresent {
            try fileManager.createSymbolicLink(
                atPath: temporary.path + "/shared", withDestinationPath: TestPaths.shared)
        }
        let ensure = try await Subprocess.run(root + "/scripts/ensure-python-env", [])
        guard ensure.status == 0 else {
            throw ReadmeSandboxError("scripts/ensure-python-env failed (\(ensure.status)): \(ensure.standardError)")
        }
        try fileManager.createSymbolicLink(atPath: repository + "/.venv", withDestinationPath: root + "/.venv")

        var environment = ProcessInfo.processInfo.environment
        let binaries = (TestPaths.executable("tokenscript") as NSString).deletingLastPathComponent
        environment["PATH"] = binaries + ":" + (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        environment["HOME"] = home
        environment["PWD"] = repository
        environment["LOCAL_CHAIN_PORT"] = nil
        self.environment = environment
    }

    struct Outcome {
        var status: Int32
        var timedOut: Bool
        var standardOutput: String
        var standardError: String
    }

    /// Runs `command` with `/bin/sh -c` in the copy; a command still running after `timeout` seconds is killed
    /// with its process group.
    /// Runs `command` and waits for it on a thread of its own, off the cooperative pool (README commands run for
    /// minutes in all; a wait there would hold one of the pool's two threads on this machine for as long).
    func run(_ command: String, timeout: Double) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try self.runBlocking(command, timeout: timeout) }) }.start()
        }
    }

    private func runBlocking(_ command: String, timeout: Double) throws -> Outcome {
        let output = temporary.path + "/command.out"
        let errors = temporary.path + "/command.err"
        // The shell changes into the copy first (glibc declares no chdir action to Swift).
        let script = "cd '\(repository)' || exit 125\n" + command
        let child: ChildProcess
        do {
            // A process group of its own, so a timeout kills what the commands started too.
            child = try ChildProcess(
                executable: "/bin/sh", arguments: ["-c", script], environment: environment,
                inheritsEnvironment: false, standardOutput: .file(output), standardError: .file(errors),
                newProcessGroup: true)
        } catch {
            throw ReadmeSandboxError("\(error)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while child.isRunning {
            if !timedOut && Date() > deadline {
                timedOut = true
                child.sendToGroup(SIGKILL)
            }
            usleep(5000)
        }
        let exitStatus = child.exitStatus ?? 0
        return Outcome(
            status: exitStatus, timedOut: timedOut,
            standardOutput: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
    }

    /// Stops a local chain the README's commands started and left running (after a failure, say).
    func stopLocalChain() {
        guard FileManager.default.fileExists(atPath: repository + "/.build/local-chain/node.pid") else { return }
        _ = try? runBlocking("scripts/local-chain stop", timeout: 30)
    }
}

/// The sandbox could not be prepared (copy, Python environment, spawn): nothing about the README itself.
struct ReadmeSandboxError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
