import Foundation

/// The PostgreSQL server the tests of this process share: the one the test command started
/// (`TOKENSCRIPT_TEST_POSTGRES`, the URL `scripts/test` exports), or else one this process starts with
/// `scripts/throwaway-postgres` on first use and stops by its PID at exit. Never a database that happens to run on
/// the machine. Each test takes a schema of its own (`freshStoreURL`), so tests run in parallel on one server.
public enum ThrowawayPostgres {
    public static let environmentVariable = "TOKENSCRIPT_TEST_POSTGRES"

    /// The server's URL (no schema).
    public static func url() async throws -> String { try await server.value }

    /// A URL naming a new schema (created by the store when it opens), with a small connection pool: parallel tests
    /// share the server's connection limit.
    public static func freshStoreURL(connections: Int = 4) async throws -> String {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        return try await url() + "?schema=\(name)&connections=\(connections)"
    }

    /// The PID and directory to stop at exit; `atexit` takes a C function, which cannot capture them.
    nonisolated(unsafe) static var startedPID: pid_t = 0
    nonisolated(unsafe) static var startedDirectory = ""

    private static let server = Task<String, any Error> {
        if let url = ProcessInfo.processInfo.environment[environmentVariable], !url.isEmpty { return url }
        // Watched: a test process killed with SIGKILL (no atexit) still leaves no server behind.
        let outcome = try await Subprocess.run(
            TestPaths.packageRoot + "/scripts/throwaway-postgres", ["start", "--fast", "--watch", String(getpid())])
        let fields = outcome.standardOutput.split(whereSeparator: \.isWhitespace).map(String.init)
        guard outcome.status == 0, fields.count == 3, let pid = pid_t(fields[1]) else {
            throw ThrowawayPostgresError(
                "scripts/throwaway-postgres start failed (status \(outcome.status)): \(outcome.standardError)")
        }
        startedPID = pid
        startedDirectory = fields[2]
        atexit { ThrowawayPostgres.stopAtExit() }
        return fields[0]
    }

    private static func stopAtExit() {
        guard startedPID > 0 else { return }
        _ = try? Subprocess.run(
            TestPaths.packageRoot + "/scripts/throwaway-postgres", ["stop", String(startedPID), startedDirectory])
    }
}

public struct ThrowawayPostgresError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A PostgreSQL server of one test's own, for tests that stop or restart the database (`pause`, `resume`): started
/// by `scripts/throwaway-postgres`, stopped by its PID and removed by `stop()`.
public final class DedicatedPostgres: @unchecked Sendable {
    public let url: String
    public let directory: String
    /// The server's PID now (a restart gives a new one).
    public private(set) var pid: pid_t

    private static var script: String { TestPaths.packageRoot + "/scripts/throwaway-postgres" }

    public static func start() async throws -> DedicatedPostgres {
        let outcome = try await Subprocess.run(script, ["start", "--watch", String(getpid())])
        let fields = outcome.standardOutput.split(whereSeparator: \.isWhitespace).map(String.init)
        guard outcome.status == 0, fields.count == 3, let pid = pid_t(fields[1]) else {
            throw ThrowawayPostgresError("throwaway-postgres start failed: \(outcome.standardError)")
        }
        return DedicatedPostgres(url: fields[0], pid: pid, directory: fields[2])
    }

    /// Runs `body` with a server of its own, stopped by its PID afterwards, whether `body` returns or throws.
    public static func with<T: Sendable>(_ body: (DedicatedPostgres) async throws -> T) async throws -> T {
        let server = try await start()
        do {
            let value = try await body(server)
            await server.stop()
            return value
        } catch {
            await server.stop()
            throw error
        }
    }

    private init(url: String, pid: pid_t, directory: String) {
        self.url = url
        self.pid = pid
        self.directory = directory
    }

    /// Stops the server by its PID (a fast shutdown: open transactions roll back, clients are disconnected) and
    /// keeps its data.
    public func pause() async throws {
        let outcome = try await Subprocess.run(Self.script, ["pause", String(pid), directory])
        guard outcome.status == 0 else { throw ThrowawayPostgresError("pause failed: \(outcome.standardError)") }
    }

    /// Starts it again on the same port.
    public func resume() async throws {
        let outcome = try await Subprocess.run(Self.script, ["resume", directory])
        guard outcome.status == 0,
            let pid = pid_t(outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw ThrowawayPostgresError("resume failed: \(outcome.standardError)") }
        self.pid = pid
    }

    public func stop() async {
        _ = try? await Subprocess.run(Self.script, ["stop", String(pid), directory])
    }
}
