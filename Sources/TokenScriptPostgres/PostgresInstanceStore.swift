import PostgresNIO
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptRuntime

/// The instance heads in PostgreSQL: compare-and-set on the step, fenced in the write's transaction.
///
/// An instance is stored as its canonical JSON (`TokenInstance.canonicalJSON`, the form its state hash is taken
/// over) beside its definition id and step. `create` and `replace` read the fencing lease's row `FOR SHARE` and the
/// instance's row `FOR UPDATE`, apply the same rules as the other stores and write, all in one transaction, so of two
/// writers from one step exactly one wins and a stale executor writes nothing.
public final class PostgresInstanceStore: InstanceStore {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func create(_ instance: TokenInstance, fencedBy lease: ExecutorLease?) async throws {
        try Self.validate(instance, lease: lease)
        let clock = store.clock
        try await store.transaction("create instance \(instance.id)") { connection in
            try await Self.checkFence(lease, on: connection, now: clock.unixSeconds())
            let inserted = try await
                (try await connection.query(
                    """
                    INSERT INTO token_instance (id, definition_id, step, canonical)
                    VALUES (\(instance.id), \(instance.definitionID), \(PostgresNumber.stored(instance.step)),
                        \(instance.canonicalJSON))
                    ON CONFLICT (id) DO NOTHING RETURNING 1
                    """, logger: PostgresStore.quiet)).decode(Int.self).collectedRows()
            if inserted.isEmpty { throw InstanceStoreError.exists(instance: instance.id) }
        }
    }

    public func instance(_ id: String) async throws -> TokenInstance? {
        try PostgresStore.checkStorable(id, field: "instance id")
        let location = store.location
        return try await store.run("read instance \(id)", retrying: true) { client in
            try await Self.stored(
                id, lock: "", on: { try await client.query($0, logger: PostgresStore.quiet) }, location: location)
        }
    }

    public func replace(_ instance: TokenInstance, expectingStep expectedStep: UInt64, fencedBy lease: ExecutorLease?)
        async throws
    {
        try Self.validate(instance, lease: lease)
        let clock = store.clock
        let location = store.location
        try await store.transaction("replace instance \(instance.id)") { connection in
            try await Self.checkFence(lease, on: connection, now: clock.unixSeconds())
            let query: PostgresQuerying = { try await connection.query($0, logger: PostgresStore.quiet) }
            guard let current = try await Self.stored(instance.id, lock: " FOR UPDATE", on: query, location: location)
            else { throw InstanceStoreError.notFound(instance: instance.id) }
            try InstanceReplacement.check(current: current, expectedStep: expectedStep, replacement: instance)
            try await connection.query(
                """
                UPDATE token_instance SET step = \(PostgresNumber.stored(instance.step)),
                    canonical = \(instance.canonicalJSON)
                WHERE id = \(instance.id) AND step = \(PostgresNumber.stored(expectedStep))
                """, logger: PostgresStore.quiet)
        }
    }

    public func instances(of definitionID: String) async throws -> [String] {
        try PostgresStore.checkStorable(definitionID, field: "definition id")
        return try await store.run("list the instances of \(definitionID)", retrying: true) { client in
            try await
                // Ordered by PostgreSQL (COLLATE "C": bytes); Swift's `sorted()` would compare canonically equal ids
                // as equal.
                (try await client.query(
                    "SELECT id FROM token_instance WHERE definition_id = \(definitionID) ORDER BY id",
                    logger: PostgresStore.quiet)).decode(String.self).collectedRows()
        }
    }

    /// Inside a write's transaction: throws `StaleLeaseError` unless `lease` is the instance's live lease at `now`,
    /// reading its row `FOR SHARE` so that no election commits between this check and the write's commit.
    static func checkFence(_ lease: ExecutorLease?, on connection: PostgresConnection, now: UInt64) async throws {
        guard let lease else { return }
        let found = try await
            (try await connection.query(
                "SELECT epoch, holder, expires_at FROM lease WHERE instance = \(lease.instance) FOR SHARE",
                logger: PostgresStore.quiet)).decode((Int64, String?, Int64).self).collectedRows().first.map {
                epoch, holder, expiresAt in
                LeaseRecord(
                    lease: ExecutorLease(instance: lease.instance, epoch: PostgresNumber.loaded(epoch)), holder: holder,
                    expiresAt: PostgresNumber.loaded(expiresAt))
            }
        try LeaseRules.checkFence(lease, found: found, now: now)
    }

    private static func stored(
        _ id: String, lock: String, on query: PostgresQuerying, location: PostgresLocation
    ) async throws -> TokenInstance? {
        let rows = try await query(
            "SELECT definition_id, canonical FROM token_instance WHERE id = \(id)\(unescaped: lock)")
        for try await (definitionID, canonical) in rows.decode((String, String).self) {
            let corrupt = { (reason: String) in
                PostgresStoreError.corruptRow(location: "\(location)", table: "token_instance", key: id, reason: reason)
            }
            let value: SandboxValue
            do { value = try SandboxValue.parseJSON(canonical) } catch { throw corrupt("\(error)") }
            guard let instance = TokenInstance(canonicalValue: value, definitionID: definitionID), instance.id == id
            else { throw corrupt("not a token instance's canonical form") }
            return instance
        }
        return nil
    }

    private static func validate(_ instance: TokenInstance, lease: ExecutorLease?) throws {
        try InstanceReplacement.validate(instance, lease: lease)
        try PostgresStore.checkStorable(instance.id, field: "instance id")
        try PostgresStore.checkStorable(instance.definitionID, field: "definition id")
    }
}
