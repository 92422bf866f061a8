import Foundation
import TokenScriptChildProcess

/// Starting and stopping the `node.py` process behind `EthereumTestNode`.
///
/// Blocking work (pip, waiting for `READY`) runs on its own thread, never on Swift's cooperative pool:
/// with two cores, a blocked pool thread would stall half of the parallel tests for seconds.
enum EthereumTestNodeLauncher {
    static let readyTimeout: Double = 60

    /// The running node, stopped at exit; `atexit` takes a C function, which cannot capture it. Kept for the life
    /// of this process: dropped, its `deinit` would kill the node.
    nonisolated(unsafe) static var running: ChildProcess?
    /// The node's temporary directory (manifest, stderr), removed at exit.
    nonisolated(unsafe) static var runningDirectory = ""

    static var pythonIsAvailable: Bool {
        let root = TestPaths.packageRoot
        if FileManager.default.isExecutableFile(atPath: root + "/.venv/bin/python") { return true }
        let python = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"
        if python.contains("/") { return FileManager.default.isExecutableFile(atPath: python) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(python)") }
    }

    static func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    static func start() throws -> EthereumTestNode {
        let root = TestPaths.packageRoot
        let ensure = try Subprocess.run(root + "/scripts/ensure-python-env", [])
        guard ensure.status == 0 else {
            throw EthereumTestNodeError(
                "scripts/ensure-python-env failed with status \(ensure.status):\n\(ensure.standardError)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ethnode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let manifestPath = directory.appendingPathComponent("manifest.json").path
        let errorPath = directory.appendingPathComponent("node.stderr").path
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)

        let output = Pipe()
        let command = "python scripts/ethnode/node.py --manifest \(manifestPath)"
        let started = Date()
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: root + "/.venv/bin/python",
                arguments: [
                    root + "/scripts/ethnode/node.py", "--manifest", manifestPath, "--parent-pid", String(getpid()),
                ],
                standardOutput: .descriptor(output.fileHandleForWriting.fileDescriptor),
                standardError: .file(errorPath),
                directory: root)
        } catch {
            throw EthereumTestNodeError("cannot start \(command): \(error)")
        }
        try? output.fileHandleForWriting.close()
        Self.running = process
        runningDirectory = directory.path
        atexit { EthereumTestNodeLauncher.stopAtExit() }

        func failure(_ what: String) -> EthereumTestNodeError {
            let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            return EthereumTestNodeError("\(command): \(what)\nstderr:\n\(stderr.suffix(4000))")
        }
        let line = try readLine(from: output.fileHandleForReading.fileDescriptor, timeout: readyTimeout)
        guard let line, line.hasPrefix("READY ") else {
            let running = process.isRunning
            if running { process.send(SIGTERM) }
            let status = process.waitUntilExit()
            Self.running = nil
            if let line { throw failure("printed \(line.prefix(200)) instead of READY <url>") }
            if running { throw failure("no READY line within \(Int(readyTimeout)) s (stopped it)") }
            throw failure("exited with status \(status) before READY")
        }
        let startup = Date().timeIntervalSince(started)
        guard let data = FileManager.default.contents(atPath: manifestPath),
            let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw failure("printed \(line) but its manifest \(manifestPath) is missing or not a JSON object") }
        return try EthereumTestNode(manifest: manifest, startupSeconds: startup)
    }

    /// The first line on `descriptor`, nil when the deadline passes or the stream ends first.
    private static func readLine(from descriptor: Int32, timeout: Double) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return nil }
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            bytes.append(contentsOf: buffer[0..<count])
            if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: bytes[..<newline], as: UTF8.self)
            }
        }
        return nil
    }

    /// SIGTERM, then up to 3 s for the node to exit (it removes its manifest on the way out).
    static func stopAtExit() {
        guard let process = running else { return }
        running = nil
        defer { try? FileManager.default.removeItem(atPath: runningDirectory) }
        process.send(SIGTERM)
        for _ in 0..<300 {
            if !process.isRunning { return }
            usleep(10_000)
        }
        process.send(SIGKILL)
    }
}
