import PostgresNIO
import TokenScriptCluster

/// A node's dormant and retired instances in PostgreSQL, beside its journals and heads in the same schema (see
/// `InstanceLifecycleStore`). Topics are kept by their bytes (`bytea`), ids as `text COLLATE "C"`: both compare
/// bytewise, as the node's routing does.
public final class PostgresInstanceLifecycle: InstanceLifecycleStore {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func markDormant(
        _ id: String, waitingOn patterns: [SubscriptionPattern], since time: UInt64, positions: [ExactText: UInt64]
    ) async throws {
        try PostgresStore.checkStorable(id, field: "instance id")
        try await store.transaction("mark instance \(id) dormant") { connection in
            try await Self.forget(id, on: connection)
            try await Self.mark(id, waitingOn: patterns, since: time, positions: positions, on: connection)
        }
    }

    public func restingFollows() async throws -> [(instance: String, topic: ExactText, next: UInt64)] {
        try await store.run("read the topics dormant instances follow", retrying: true) { client in
            var follows: [(instance: String, topic: ExactText, next: UInt64)] = []
            let rows = try await client.query(
                """
                SELECT instance, stem, next_position FROM dormant_topic
                WHERE NOT prefix AND next_position IS NOT NULL ORDER BY instance, stem
                """, logger: PostgresStore.quiet)
            for try await (instance, stem, next) in rows.decode((String, ByteBuffer, Int64).self) {
                follows.append((instance, ExactText(bytes: Array(stem.readableBytesView)), PostgresNumber.loaded(next)))
            }
            return follows
        }
    }

    public func dormantIDs() async throws -> [String] {
        try await strings("list the dormant instances", "SELECT id FROM dormant_instance ORDER BY id")
    }

    public func storeResting(_ instances: [RestingInstance], since time: UInt64) async throws {
        for instance in instances {
            try PostgresStore.checkStorable(instance.id, field: "instance id")
            try PostgresStore.checkStorable(instance.definitionID, field: "definition id")
        }
        try await store.transaction("store \(instances.count) instances at rest") { connection in
            for instance in instances {
                let id = instance.id
                let taken = try await connection.query(
                    """
                    SELECT 1 FROM token_instance WHERE id = \(id) UNION ALL SELECT 1 FROM journal WHERE instance = \(id)
                    """, logger: PostgresStore.quiet
                ).decode(Int.self).collectedRows()
                if !taken.isEmpty { throw InstanceStoreError.exists(instance: id) }
                try await connection.query(
                    """
                    INSERT INTO token_instance (id, definition_id, step, canonical)
                    VALUES (\(id), \(instance.definitionID), \(PostgresNumber.stored(instance.step)),
                        \(instance.canonical))
                    """, logger: PostgresStore.quiet)
                let header = ByteBuffer(bytes: instance.journalHeader)
                try await connection.query(
                    "INSERT INTO journal (instance, header) VALUES (\(id), \(header))", logger: PostgresStore.quiet)
                try await Self.mark(id, waitingOn: instance.patterns, since: time, positions: [:], on: connection)
            }
        }
    }

    public func markAwake(_ id: String) async throws {
        try PostgresStore.checkStorable(id, field: "instance id")
        try await store.transaction("reinstate instance \(id)") { connection in
            try await Self.forget(id, on: connection)
        }
    }

    public func isDormant(_ id: String) async throws -> Bool {
        try PostgresStore.checkStorable(id, field: "instance id")
        return try await !strings("read whether \(id) is dormant", "SELECT id FROM dormant_instance WHERE id = \(id)")
            .isEmpty
    }

    public func restingDefinition(of id: String) async throws -> String? {
        try PostgresStore.checkStorable(id, field: "instance id")
        return try await strings(
            "read whether \(id) is dormant",
            "SELECT t.definition_id FROM dormant_instance d JOIN token_instance t ON t.id = d.id WHERE d.id = \(id)"
        ).first
    }

    public func dormantCount() async throws -> Int {
        try await count("count the dormant instances", "SELECT count(*) FROM dormant_instance")
    }

    /// One statement: the topic exactly, or any of its prefixes (each a probe of the primary key).
    public func dormantInstances(needing topic: String) async throws -> [String] {
        let bytes = ByteBuffer(bytes: Array(topic.utf8))
        let found = try await strings(
            "find the dormant instances needing \(topic)",
            """
            SELECT DISTINCT instance FROM dormant_topic WHERE (stem = \(bytes) AND NOT prefix)
            OR (prefix AND stem IN (
                SELECT substring(\(bytes) FROM 1 FOR n) FROM generate_series(0, length(\(bytes))) AS n))
            """)
        return found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    public func activeSummaries() async throws -> [StoredInstanceSummary] {
        try await summaries(
            "list the active instances",
            """
            SELECT id, definition_id, step FROM token_instance
            WHERE id NOT IN (SELECT id FROM dormant_instance) ORDER BY id
            """)
    }

    public func summaries() async throws -> [StoredInstanceSummary] {
        try await summaries("list the instances", "SELECT id, definition_id, step FROM token_instance ORDER BY id")
    }

    public func retire(_ instance: RetiredInstance) async throws {
        let id = instance.id
        try PostgresStore.checkStorable(id, field: "instance id")
        try await store.transaction("retire instance \(id)") { connection in
            try await connection.query(
                """
                INSERT INTO retired_instance (id, definition_id, step, state_hash, retired_at, archive)
                VALUES (\(id), \(instance.definitionID), \(PostgresNumber.stored(instance.step)),
                    \(instance.stateHash), \(PostgresNumber.stored(instance.retiredAt)), \(instance.archive))
                ON CONFLICT (id) DO UPDATE SET definition_id = EXCLUDED.definition_id, step = EXCLUDED.step,
                    state_hash = EXCLUDED.state_hash, retired_at = EXCLUDED.retired_at, archive = EXCLUDED.archive
                """, logger: PostgresStore.quiet)
            try await connection.query("DELETE FROM journal_entry WHERE instance = \(id)", logger: PostgresStore.quiet)
            try await connection.query("DELETE FROM journal WHERE instance = \(id)", logger: PostgresStore.quiet)
            try await connection.query("DELETE FROM token_instance WHERE id = \(id)", logger: PostgresStore.quiet)
            try await Self.forget(id, on: connection)
        }
    }

    public func retired(_ id: String) async throws -> RetiredInstance? {
        try PostgresStore.checkStorable(id, field: "instance id")
        return try await store.run("read the retirement of \(id)", retrying: true) { client in
            let rows = try await client.query(
                """
                SELECT definition_id, step, state_hash, retired_at, archive FROM retired_instance WHERE id = \(id)
                """, logger: PostgresStore.quiet)
            for try await (definitionID, step, stateHash, retiredAt, archive) in rows.decode(
                (String, Int64, String, Int64, String).self)
            {
                return RetiredInstance(
                    id: id, definitionID: definitionID, step: PostgresNumber.loaded(step), stateHash: stateHash,
                    retiredAt: PostgresNumber.loaded(retiredAt), archive: archive)
            }
            return nil
        }
    }

    public func retiredCount() async throws -> Int {
        try await count("count the retired instances", "SELECT count(*) FROM retired_instance")
    }

    /// Marks `id` dormant and lists the topics of its `.log` patterns, with the next position kept for each exact one.
    private static func mark(
        _ id: String, waitingOn patterns: [SubscriptionPattern], since time: UInt64, positions: [ExactText: UInt64],
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            "INSERT INTO dormant_instance (id, since) VALUES (\(id), \(PostgresNumber.stored(time)))",
            logger: PostgresStore.quiet)
        for pattern in patterns where pattern.delivery == .log {
            let next = pattern.match == .exact ? positions[pattern.text].map(PostgresNumber.stored) : nil
            try await connection.query(
                """
                INSERT INTO dormant_topic (stem, prefix, instance, next_position)
                VALUES (\(ByteBuffer(bytes: pattern.text.bytes)), \(pattern.match == .prefix), \(id), \(next))
                ON CONFLICT DO NOTHING
                """, logger: PostgresStore.quiet)
        }
    }

    private static func forget(_ id: String, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM dormant_instance WHERE id = \(id)", logger: PostgresStore.quiet)
        try await connection.query("DELETE FROM dormant_topic WHERE instance = \(id)", logger: PostgresStore.quiet)
    }

    private func strings(_ operation: String, _ query: PostgresQuery) async throws -> [String] {
        try await store.run(operation, retrying: true) { client in
            try await client.query(query, logger: PostgresStore.quiet).decode(String.self).collectedRows()
        }
    }

    private func count(_ operation: String, _ query: PostgresQuery) async throws -> Int {
        try await store.run(operation, retrying: true) { client in
            try await client.query(query, logger: PostgresStore.quiet).decode(Int64.self).collectedRows()
                .first.map(Int.init) ?? 0
        }
    }

    private func summaries(_ operation: String, _ query: PostgresQuery) async throws -> [StoredInstanceSummary] {
        try await store.run(operation, retrying: true) { client in
            var summaries: [StoredInstanceSummary] = []
            for try await (id, definitionID, step) in try await client.query(query, logger: PostgresStore.quiet)
                .decode((String, String, Int64).self)
            {
                summaries.append(
                    StoredInstanceSummary(id: id, definitionID: definitionID, step: PostgresNumber.loaded(step)))
            }
            return summaries
        }
    }
}
