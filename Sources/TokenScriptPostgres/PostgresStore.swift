import Logging
import PostgresNIO
import TokenScriptEngine

/// A PostgreSQL database holding the network's shared state — the lease table, the attestation log, the instance
/// heads, placement and service levels — so that anchors on several machines coordinate through one
/// transactional engine, and *check the epoch, take the position, write* is one transaction there.
///
/// Connections come from postgres-nio's pool (`PostgresClient`), which reconnects with back-off on its own after
/// the database restarts. Every operation has a deadline (`operationTimeout`): while the database is unreachable a
/// caller gets `PostgresStoreError.unavailable` naming the database and the operation, never a hang, and the
/// next call after it comes back succeeds. A write whose answer was lost may have committed; each write is
/// idempotent or compare-and-swap, so the caller's retry is safe. The schema is migrated when the store opens.
/// Lease expiry reads `clock`, the store's clock, never the caller's.
public final class PostgresStore: Sendable {
    public let location: PostgresLocation
    /// The clock every lease expiry is read from.
    public let clock: any EngineClock
    /// How long one operation (a query, or a transaction with its retries) may take before it is given up.
    public let operationTimeout: Duration
    let client: PostgresClient
    /// Wakes log subscribers on this store after an append, and through `LISTEN` after appends by other stores.
    let wakeups: PostgresLogWakeups
    private let runner: Task<Void, Never>

    /// Opens the store at `location`: starts the pool, waits for the database (up to `connectTimeout`), creates
    /// the schema if needed and applies the migrations it lacks.
    /// - Throws: `PostgresStoreError.unavailable` when the database does not answer in time, `.failed` for its
    ///   refusal (no such database, wrong password), `.newerSchema` for a schema written by a newer build.
    public init(
        location: PostgresLocation, clock: any EngineClock, operationTimeout: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(30), logger: Logger = Logger(label: "tokenscript.postgres")
    ) async throws(PostgresStoreError) {
        self.location = location
        self.clock = clock
        self.operationTimeout = operationTimeout
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.maximumConnections = location.connections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.keepAliveBehavior = .init(frequency: .seconds(10))
        // Every connection works in the store's schema: unqualified names in every statement below.
        configuration.options.additionalStartupParameters = [("search_path", location.schema)]
        // The pool's own log (a connection that failed and is retried) is kept to errors: while the database is
        // down it would repeat at every back-off, and callers get `unavailable` from their operations anyway.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.client = client
        runner = Task { await client.run() }
        wakeups = PostgresLogWakeups(client: client, schema: location.schema, logger: logger)
        do {
            try await Self.waitForDatabase(client, location: location, within: connectTimeout)
            try await Self.migrate(client, location: location, within: connectTimeout)
        } catch {
            runner.cancel()
            throw error
        }
        wakeups.start()
    }

    /// Opens the store at `url` (see `PostgresLocation`).
    public convenience init(
        url: String, clock: any EngineClock, operationTimeout: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(30), logger: Logger = Logger(label: "tokenscript.postgres")
    ) async throws(PostgresStoreError) {
        try await self.init(
            location: PostgresLocation(url: url), clock: clock, operationTimeout: operationTimeout,
            connectTimeout: connectTimeout, logger: logger)
    }

    /// Stops the pool and the listener: later operations fail. Idempotent.
    public func close() {
        wakeups.stop()
        runner.cancel()
    }

    deinit { close() }

    /// The migrations applied to the schema, in order (the schema version).
    public func appliedMigrations() async throws -> [Int] {
        try await run("read the schema version") { client in
            let rows = try await client.query("SELECT version FROM schema_migration ORDER BY version")
            return try await rows.decode(Int.self).collectedRows()
        }
    }

    /// Runs `body` with the pool under the store's deadline; PostgreSQL's failures become `PostgresStoreError`
    /// naming `operation`, errors of our own (a stale lease, a lost compare-and-swap) pass through unchanged.
    ///
    /// With `retrying`, a transient failure (`PostgresStoreError.isTransient`: the database restarting, a pooled
    /// connection it closed) is tried again after 50 ms, doubling to 1 s, until the deadline: for reads, and for
    /// writes that are safe to repeat after a commit whose answer was lost (appends by id, elections by epoch).
    @discardableResult
    func run<T: Sendable>(
        _ operation: String, retrying: Bool = false, _ body: @escaping @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = client
        let location = location
        let timeout = operationTimeout
        return try await PostgresDeadline.run(
            timeout,
            timedOut: {
                PostgresStoreError.unavailable(
                    location: "\(location)", operation: operation,
                    message: "no answer within \(timeout.components.seconds) s")
            }
        ) {
            var delay = Duration.milliseconds(50)
            while true {
                do { return try await body(client) } catch let error as PSQLError {
                    let mapped = PostgresStoreError.from(error, location: location, operation: operation)
                    guard retrying, mapped.isTransient else { throw mapped }
                }
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(1))
            }
        }
    }

    /// Runs `body` in one transaction on one connection (`BEGIN` … `COMMIT`, rolled back when it throws), under
    /// the store's deadline. Errors and `retrying` as in `run`.
    @discardableResult
    func transaction<T: Sendable>(
        _ operation: String, retrying: Bool = false,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await run(operation, retrying: retrying) { client in
            try await client.withConnection { connection in try await Self.inTransaction(on: connection, body) }
        }
    }

    /// `body` between `BEGIN` and `COMMIT` on `connection`, rolled back when it throws (its error passes unchanged):
    /// the one transaction wrapper, for the store's writes and the migrations.
    static func inTransaction<T: Sendable>(
        on connection: PostgresConnection, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await connection.query("BEGIN", logger: quiet)
        do {
            let value = try await body(connection)
            try await connection.query("COMMIT", logger: quiet)
            return value
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: quiet)
            throw error
        }
    }

    /// Refuses text PostgreSQL cannot store (NUL), naming the field, before anything is sent.
    static func checkStorable(_ text: String, field: String) throws(PostgresStoreError) {
        if text.utf8.contains(0) { throw .unstorableText(field: field) }
    }

    static let quiet = Logger(label: "tokenscript.postgres.quiet", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Applies the migrations under the connect deadline too: a database that goes away mid-migration is an
    /// error, not a hang.
    private static func migrate(
        _ client: PostgresClient, location: PostgresLocation, within timeout: Duration
    ) async throws(PostgresStoreError) {
        let migrator = PostgresMigrator(client: client, location: location)
        do {
            try await PostgresDeadline.run(
                timeout,
                timedOut: {
                    PostgresStoreError.unavailable(
                        location: "\(location)", operation: "migrate the schema",
                        message: "no answer within \(timeout.components.seconds) s")
                }
            ) { try await migrator.migrate() }
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw .failed(location: "\(location)", operation: "migrate the schema", message: "\(error)")
        }
    }

    private static func waitForDatabase(
        _ client: PostgresClient, location: PostgresLocation, within timeout: Duration
    ) async throws(PostgresStoreError) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var lastMessage = "no answer"
        while clock.now < deadline {
            do {
                let remaining = deadline - clock.now
                let attempt = min(.seconds(3), max(remaining, .milliseconds(100)))
                try await PostgresDeadline.run(attempt, timedOut: { CancellationError() }) {
                    _ = try await client.query("SELECT 1", logger: quiet)
                }
                return
            } catch let error as PSQLError {
                let mapped = PostgresStoreError.from(error, location: location, operation: "connect")
                // A refusal by the server itself (authentication, no such database) will not change by waiting;
                // a server starting up or shutting down (SQLSTATE 57P03, 57P01) may.
                if !mapped.isTransient { throw mapped }
                lastMessage = PostgresStoreError.message(of: error)
            } catch {
                lastMessage = "no answer within 3 s"
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        throw .unavailable(
            location: "\(location)", operation: "connect",
            message: "no connection within \(timeout.components.seconds) s: \(lastMessage)")
    }
}

extension PostgresStoreError {
    /// PostgreSQL's own message and SQLSTATE when the server answered; the connection failure otherwise.
    static func from(_ error: PSQLError, location: PostgresLocation, operation: String) -> PostgresStoreError {
        // No answer from the server (the connection failed or was closed), or its answer that it is going away or
        // cannot take the connection (SQLSTATE classes 08 connection exception, 57 operator intervention: a
        // shutdown, a restart; 53 insufficient resources: too many connections).
        let state = error.serverInfo?[.sqlState]
        if state == nil || state?.hasPrefix("08") == true || state?.hasPrefix("57") == true
            || state?.hasPrefix("53") == true
        {
            return .unavailable(location: "\(location)", operation: operation, message: message(of: error))
        }
        return .failed(location: "\(location)", operation: operation, message: message(of: error))
    }

    /// Whether waiting may help: the database was unreachable or going away, not refusing the statement itself.
    public var isTransient: Bool {
        if case .unavailable = self { return true }
        return false
    }

    static func message(of error: PSQLError) -> String {
        if let info = error.serverInfo {
            let message = info[.message] ?? "error"
            let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            let detail = info[.detail].map { ": \($0)" } ?? ""
            return message + detail + state
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }

    /// Whether the database refused a write for a unique key taken meanwhile (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}

/// Runs one statement on a client or a connection: lets a helper read inside or outside a transaction.
typealias PostgresQuerying = (PostgresQuery) async throws -> PostgresRowSequence

extension AsyncSequence {
    /// Every element, in order: a query's decoded rows as an array.
    func collectedRows() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
