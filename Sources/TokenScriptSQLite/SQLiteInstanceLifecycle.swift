import Foundation
import GRDB
import TokenScriptCluster

/// Where a node keeps the instances it does not hold in memory: dormant ones, reinstated on their next request
/// or input, and retired ones, whose journals were archived.
///
/// A dormant instance keeps its row and journal; `dormant_instance` marks it, and `dormant_topic` lists the log
/// topics it waits on (its subscription's `.log` patterns, by bytes), so a node routes an attestation to it with
/// an indexed lookup instead of an entry per instance in memory. A retired instance leaves a row in
/// `retired_instance` (its last step, state hash and where its journal went) and nothing else: its journal
/// lines, its head and its dormant rows are deleted in the retirement's one transaction.
public final class SQLiteInstanceLifecycle: InstanceLifecycleStore {
    public let store: SQLiteStore

    public init(store: SQLiteStore) {
        self.store = store
    }

    /// Marks `id` dormant since `time`, waiting on `patterns` (its `.log` patterns; others are ignored); a
    /// network node also gives the next position it reads of each exact topic (`positions`, by topic bytes).
    public func markDormant(
        _ id: String, waitingOn patterns: [SubscriptionPattern], since time: UInt64, positions: [ExactText: UInt64]
    ) async throws {
        let rows = patterns.filter { $0.delivery == .log }.map { pattern in
            (
                Data(pattern.text.bytes), pattern.match == .prefix,
                pattern.match == .exact ? positions[pattern.text].map(SQLiteInteger.stored) : nil
            )
        }
        try await store.write("mark instance \(id) dormant") { db in
            try Self.forget(id, in: db)
            try db.execute(
                sql: "INSERT INTO dormant_instance (id, since) VALUES (?, ?)",
                arguments: [id, SQLiteInteger.stored(time)])
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO dormant_topic (stem, prefix, instance, next_position) VALUES (?, ?, ?, ?)")
            for (stem, prefix, next) in rows { try insert.execute(arguments: [stem, prefix ? 1 : 0, id, next]) }
        }
    }

    /// Every exact topic a dormant instance waits on with the next position kept for it (a network node's),
    /// by instance: what a restarted network node follows again for them.
    public func restingFollows() async throws -> [(instance: String, topic: ExactText, next: UInt64)] {
        try await store.read("read the topics dormant instances follow") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT instance, stem, next_position FROM dormant_topic
                    WHERE prefix = 0 AND next_position IS NOT NULL ORDER BY instance
                    """
            ).map { row in
                let stem: Data = row["stem"]
                let next: Int64 = row["next_position"]
                return (row["instance"], ExactText(bytes: [UInt8](stem)), SQLiteInteger.loaded(next))
            }
        }
    }

    /// Every dormant instance's id, bytewise (a network node's resting set at a restart).
    public func dormantIDs() async throws -> [String] {
        try await store.read("list the dormant instances") { db in
            try String.fetchAll(db, sql: "SELECT id FROM dormant_instance ORDER BY id")
        }
    }

    /// Stores new instances at rest, many in one transaction (a bulk creation): each one's row, its journal's
    /// header and its dormant rows. Refused as a whole (`InstanceStoreError.exists`) when one id has a row or a
    /// journal already.
    public func storeResting(_ instances: [RestingInstance], since time: UInt64) async throws {
        try await store.write("store \(instances.count) instances at rest") { db in
            let exists = try db.cachedStatement(
                sql: "SELECT 1 FROM token_instance WHERE id = ? UNION ALL SELECT 1 FROM journal WHERE instance = ?")
            let row = try db.cachedStatement(
                sql: "INSERT INTO token_instance (id, definition_id, step, canonical) VALUES (?, ?, ?, ?)")
            let journal = try db.cachedStatement(sql: "INSERT INTO journal (instance, header) VALUES (?, ?)")
            let mark = try db.cachedStatement(sql: "INSERT INTO dormant_instance (id, since) VALUES (?, ?)")
            let topic = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO dormant_topic (stem, prefix, instance) VALUES (?, ?, ?)")
            for instance in instances {
                if try Bool.fetchOne(exists, arguments: [instance.id, instance.id]) == true {
                    throw InstanceStoreError.exists(instance: instance.id)
                }
                try row.execute(
                    arguments: [
                        instance.id, instance.definitionID, SQLiteInteger.stored(instance.step), instance.canonical,
                    ])
                try journal.execute(arguments: [instance.id, Data(instance.journalHeader)])
                try mark.execute(arguments: [instance.id, SQLiteInteger.stored(time)])
                for pattern in instance.patterns where pattern.delivery == .log {
                    try topic.execute(
                        arguments: [Data(pattern.text.bytes), pattern.match == .prefix ? 1 : 0, instance.id])
                }
            }
        }
    }

    /// Forgets that `id` is dormant (it is being reinstated); nothing happens when it is not.
    public func markAwake(_ id: String) async throws {
        try await store.write("reinstate instance \(id)") { db in try Self.forget(id, in: db) }
    }

    /// Whether `id` is marked dormant.
    public func isDormant(_ id: String) async throws -> Bool {
        try await store.read("read whether \(id) is dormant") { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM dormant_instance WHERE id = ?"), arguments: [id]) ?? false
        }
    }

    /// The definition id of `id` when it is dormant and stored (what reopening it needs), else nil: one read
    /// where the mark and the row would be two.
    public func restingDefinition(of id: String) async throws -> String? {
        try await store.read("read whether \(id) is dormant") { db in
            try String.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT t.definition_id FROM dormant_instance d JOIN token_instance t ON t.id = d.id
                        WHERE d.id = ?
                        """),
                arguments: [id])
        }
    }

    /// How many instances are dormant.
    public func dormantCount() async throws -> Int {
        try await store.read("count the dormant instances") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM dormant_instance") ?? 0
        }
    }

    /// The dormant instances an attestation of `topic` reaches, bytewise by id: those waiting on the topic
    /// exactly, or on a prefix of it (each prefix of the topic is one probe of the primary key).
    public func dormantInstances(needing topic: String) async throws -> [String] {
        let bytes = Array(topic.utf8)
        return try await store.read("find the dormant instances needing \(topic)") { db in
            var found = Set(
                try String.fetchAll(
                    db.cachedStatement(sql: "SELECT instance FROM dormant_topic WHERE stem = ? AND prefix = 0"),
                    arguments: [Data(bytes)]))
            let prefixed = try db.cachedStatement(
                sql: "SELECT instance FROM dormant_topic WHERE stem = ? AND prefix = 1")
            for length in 0...bytes.count {
                found.formUnion(try String.fetchAll(prefixed, arguments: [Data(bytes[..<length])]))
            }
            return found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
    }

    /// The stored instances neither dormant nor retired, by id: what a node holds in memory after a restart.
    public func activeSummaries() async throws -> [StoredInstanceSummary] {
        try await store.read("list the active instances") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, definition_id, step FROM token_instance
                    WHERE id NOT IN (SELECT id FROM dormant_instance) ORDER BY id
                    """
            ).map { row in
                let step: Int64 = row["step"]
                return StoredInstanceSummary(
                    id: row["id"], definitionID: row["definition_id"], step: SQLiteInteger.loaded(step))
            }
        }
    }

    /// Retires `instance`: records it in `retired_instance` and deletes its journal, head and dormant rows, in
    /// one transaction. Its journal must be archived (at `archive`) before: what is deleted here is gone.
    public func retire(_ instance: RetiredInstance) async throws {
        try await store.write("retire instance \(instance.id)") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO retired_instance (id, definition_id, step, state_hash, retired_at, archive)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    instance.id, instance.definitionID, SQLiteInteger.stored(instance.step), instance.stateHash,
                    SQLiteInteger.stored(instance.retiredAt), instance.archive,
                ])
            try db.execute(sql: "DELETE FROM journal_entry WHERE instance = ?", arguments: [instance.id])
            try db.execute(sql: "DELETE FROM journal WHERE instance = ?", arguments: [instance.id])
            try db.execute(sql: "DELETE FROM token_instance WHERE id = ?", arguments: [instance.id])
            try Self.forget(instance.id, in: db)
        }
    }

    /// The retirement record of `id`, or nil when it was never retired.
    public func retired(_ id: String) async throws -> RetiredInstance? {
        try await store.read("read the retirement of \(id)") { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT definition_id, step, state_hash, retired_at, archive FROM retired_instance
                            WHERE id = ?
                            """),
                    arguments: [id])
            else { return nil }
            let step: Int64 = row["step"]
            let retiredAt: Int64 = row["retired_at"]
            return RetiredInstance(
                id: id, definitionID: row["definition_id"], step: SQLiteInteger.loaded(step),
                stateHash: row["state_hash"], retiredAt: SQLiteInteger.loaded(retiredAt), archive: row["archive"])
        }
    }

    /// Every stored instance, by id, dormant or not (`SQLiteInstanceStore.summaries`).
    public func summaries() async throws -> [StoredInstanceSummary] {
        try await SQLiteInstanceStore(store: store).summaries()
    }

    /// How many instances were retired.
    public func retiredCount() async throws -> Int {
        try await store.read("count the retired instances") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM retired_instance") ?? 0
        }
    }

    private static func forget(_ id: String, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM dormant_instance WHERE id = ?").execute(arguments: [id])
        try db.cachedStatement(sql: "DELETE FROM dormant_topic WHERE instance = ?").execute(arguments: [id])
    }
}
