import GRDB

/// The store's tables, as GRDB migrations applied in order when a store is opened.
///
/// A migration, once released, never changes: a new column or table is a new migration after the last one,
/// so a file written by any earlier build opens and upgrades. Unsigned 64-bit numbers (epochs, positions,
/// steps, expiry seconds) are stored as their `Int64` bit pattern (`SQLiteInteger`); every comparison of
/// them that could wrap happens in Swift inside the write's transaction, never in SQL.
enum SQLiteSchema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: leases, attestation log, instances, placement, journals") { db in
            // The lease table: one row per instance, kept after release so epochs only grow.
            try db.execute(
                sql: """
                    CREATE TABLE lease (
                        instance TEXT PRIMARY KEY NOT NULL,
                        epoch INTEGER NOT NULL,
                        holder TEXT,
                        expires_at INTEGER NOT NULL
                    ) STRICT
                    """)
            // One counter per topic: positions are taken here in the append's transaction, so they are
            // gap-free and commit in order (no global serial).
            try db.execute(
                sql: """
                    CREATE TABLE topic_head (
                        topic TEXT PRIMARY KEY NOT NULL,
                        last_position INTEGER NOT NULL
                    ) STRICT
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE log_entry (
                        topic TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        attestation_id TEXT NOT NULL UNIQUE,
                        attestation TEXT NOT NULL,
                        fence_instance TEXT,
                        fence_epoch INTEGER,
                        PRIMARY KEY (topic, position)
                    ) STRICT, WITHOUT ROWID
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE token_instance (
                        id TEXT PRIMARY KEY NOT NULL,
                        definition_id TEXT NOT NULL,
                        step INTEGER NOT NULL,
                        canonical TEXT NOT NULL
                    ) STRICT
                    """)
            try db.execute(sql: "CREATE INDEX token_instance_by_definition ON token_instance (definition_id, id)")
            try db.execute(
                sql: """
                    CREATE TABLE placement_node (
                        id TEXT PRIMARY KEY NOT NULL,
                        weight INTEGER NOT NULL
                    ) STRICT
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE placement_pin (
                        instance TEXT NOT NULL,
                        rank INTEGER NOT NULL,
                        node TEXT NOT NULL,
                        PRIMARY KEY (instance, rank)
                    ) STRICT
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE journal (
                        instance TEXT PRIMARY KEY NOT NULL,
                        header BLOB NOT NULL
                    ) STRICT
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE journal_entry (
                        instance TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        line BLOB NOT NULL,
                        hash TEXT NOT NULL,
                        PRIMARY KEY (instance, sequence)
                    ) STRICT, WITHOUT ROWID
                    """)
        }
        // The topics in the order of their first entries (`AttestationLog.topics(from:limit:)`): the position is
        // the row id (INTEGER PRIMARY KEY: the largest plus one, never renumbered; rows are never deleted), so
        // it is gap-free and written in the transaction of the topic's first append. Topics logged before this
        // migration are listed first, in the order they were created.
        migrator.registerMigration("v2: topic index") { db in
            try db.execute(
                sql: """
                    CREATE TABLE topic_index (
                        position INTEGER PRIMARY KEY,
                        topic TEXT NOT NULL UNIQUE
                    ) STRICT
                    """)
            try db.execute(sql: "INSERT INTO topic_index (topic) SELECT topic FROM topic_head ORDER BY rowid")
        }
        // Service levels (`SQLiteSLOMonitor`): each node's objective and counters, and its events per minute,
        // classified good or bad when recorded. Minutes older than the node's period are deleted as it goes on.
        migrator.registerMigration("v3: service levels") { db in
            try db.execute(
                sql: """
                    CREATE TABLE slo_node (
                        node TEXT PRIMARY KEY NOT NULL,
                        good_per_million INTEGER,
                        latency_ms INTEGER,
                        period_seconds INTEGER,
                        recorded INTEGER NOT NULL DEFAULT 0,
                        probes INTEGER NOT NULL DEFAULT 0,
                        probes_down INTEGER NOT NULL DEFAULT 0,
                        last_probe_up INTEGER,
                        last_probe_at INTEGER,
                        calls INTEGER NOT NULL DEFAULT 0,
                        failed_calls INTEGER NOT NULL DEFAULT 0,
                        total_latency_ms INTEGER NOT NULL DEFAULT 0,
                        maximum_latency_ms INTEGER NOT NULL DEFAULT 0,
                        routings INTEGER NOT NULL DEFAULT 0,
                        mismatches INTEGER NOT NULL DEFAULT 0,
                        last_sample_at INTEGER NOT NULL DEFAULT 0
                    ) STRICT
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE slo_minute (
                        node TEXT NOT NULL,
                        minute INTEGER NOT NULL,
                        total INTEGER NOT NULL,
                        bad INTEGER NOT NULL,
                        PRIMARY KEY (node, minute)
                    ) STRICT, WITHOUT ROWID
                    """)
        }
        // The lifecycle of hosted instances (`SQLiteInstanceLifecycle`): the dormant ones, kept only here, with
        // the log topics they wait on (so an input finds them without their being in memory; a network node also
        // keeps the next position of each exact topic it reads for them), and the retired
        // ones, whose journals were archived and whose rows are gone.
        migrator.registerMigration("v4: dormant and retired instances") { db in
            try db.execute(
                sql: """
                    CREATE TABLE dormant_instance (
                        id TEXT PRIMARY KEY NOT NULL,
                        since INTEGER NOT NULL
                    ) STRICT
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE dormant_topic (
                        stem BLOB NOT NULL,
                        prefix INTEGER NOT NULL,
                        instance TEXT NOT NULL,
                        next_position INTEGER,
                        PRIMARY KEY (stem, prefix, instance)
                    ) STRICT, WITHOUT ROWID
                    """)
            try db.execute(sql: "CREATE INDEX dormant_topic_by_instance ON dormant_topic (instance)")
            try db.execute(
                sql: """
                    CREATE TABLE retired_instance (
                        id TEXT PRIMARY KEY NOT NULL,
                        definition_id TEXT NOT NULL,
                        step INTEGER NOT NULL,
                        state_hash TEXT NOT NULL,
                        retired_at INTEGER NOT NULL,
                        archive TEXT NOT NULL
                    ) STRICT
                    """)
        }
        return migrator
    }()
}

/// Unsigned 64-bit numbers in SQLite's signed 64-bit integers: the bit pattern, both ways.
enum SQLiteInteger {
    static func stored(_ value: UInt64) -> Int64 { Int64(bitPattern: value) }
    static func loaded(_ value: Int64) -> UInt64 { UInt64(bitPattern: value) }
}
