import PostgresNIO

/// Applies `PostgresSchema.migrations` that a schema lacks, each in its own transaction under an advisory lock,
/// so stores opening at once on several machines apply each migration exactly once.
struct PostgresMigrator {
    let client: PostgresClient
    let location: PostgresLocation

    func migrate() async throws(PostgresStoreError) {
        let schema = location.schema
        do {
            try await client.withConnection { connection in
                for migration in PostgresSchema.migrations {
                    try await PostgresStore.inTransaction(on: connection) { connection in
                        try await apply(migration, schema: schema, on: connection)
                    }
                }
            }
        } catch let error as PostgresStoreError {
            throw error
        } catch let error as PSQLError {
            throw PostgresStoreError.from(error, location: location, operation: "migrate the schema")
        } catch {
            throw .failed(location: "\(location)", operation: "migrate the schema", message: "\(error)")
        }
    }

    /// Inside a transaction: takes the lock, creates the schema and the migrations table when missing, refuses a
    /// newer schema, and applies `migration` unless it is recorded.
    private func apply(_ migration: PostgresSchema.Migration, schema: String, on connection: PostgresConnection)
        async throws
    {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: PostgresStore.quiet)
        // The schema name was checked to be a plain identifier (`PostgresLocation`), so it may be spliced in.
        try await connection.query(
            PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: PostgresStore.quiet)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migration (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: PostgresStore.quiet)
        let applied = try await
            (try await connection.query(
                "SELECT version FROM schema_migration ORDER BY version", logger: PostgresStore.quiet)).decode(Int.self)
            .collectedRows()
        let known = Set(PostgresSchema.migrations.map(\.version))
        if applied.contains(where: { !known.contains($0) }) {
            throw PostgresStoreError.newerSchema(location: "\(location)", applied: applied)
        }
        guard !applied.contains(migration.version) else { return }
        for statement in migration.statements {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: PostgresStore.quiet)
        }
        try await connection.query(
            "INSERT INTO schema_migration (version, name) VALUES (\(migration.version), \(migration.name))",
            logger: PostgresStore.quiet)
    }
}
