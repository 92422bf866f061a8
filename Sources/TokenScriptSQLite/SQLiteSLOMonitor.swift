import GRDB
import TokenScriptCluster

/// The SLO monitor in SQLite: each node's objective and counters in `slo_node`, its events per minute in
/// `slo_minute`. A batch of samples is one write (one transaction of the group commit): every sample is
/// classified against the objective read in that transaction, counted into its node's row with the same rules
/// as the in-memory monitor (`NodeRecord.adding`), and into its minute. A standing sums each window's minutes
/// in one read snapshot. Numbers are stored as `Int64` bit patterns (`SQLiteInteger`).
public final class SQLiteSLOMonitor: SLOMonitor {
    public let store: SQLiteStore

    public init(store: SQLiteStore) {
        self.store = store
    }

    public func record(_ sample: NodeSample) async throws { try await record([sample]) }

    public func record(_ samples: [NodeSample]) async throws {
        if samples.contains(where: \.node.isEmpty) { throw SLOMonitorError.emptyNode }
        guard !samples.isEmpty else { return }
        try await store.write("record \(samples.count) SLO samples") { db in
            var records: [String: NodeRecord] = [:]
            var objectives: [String: ServiceObjective] = [:]
            var minutes: [MinuteKey: EventCounts] = [:]
            for sample in samples {
                if objectives[sample.node] == nil {
                    objectives[sample.node] = try Self.objective(of: sample.node, in: db)
                    records[sample.node] = try Self.record(of: sample.node, in: db) ?? NodeRecord(node: sample.node)
                }
                records[sample.node] = records[sample.node]?.adding(sample)
                let key = MinuteKey(node: sample.node, minute: sample.time / 60)
                let bad = sample.isBad(under: objectives[sample.node] ?? .standard)
                minutes[key] = (minutes[key] ?? EventCounts()).adding(EventCounts(total: 1, bad: bad ? 1 : 0))
            }
            for (key, counts) in minutes { try Self.add(counts, to: key, in: db) }
            for (node, record) in records {
                try Self.store(record, in: db)
                // Minutes before the node's retention, counted back from its newest sample, are no longer asked for.
                let kept = SLOMonitorRetention.minutes(objective: objectives[node] ?? .standard)
                let newest = record.lastSampleAt / 60
                if newest > kept {
                    try db.cachedStatement(sql: "DELETE FROM slo_minute WHERE node = ? AND minute < ?")
                        .execute(arguments: [node, SQLiteInteger.stored(newest - kept)])
                }
            }
        }
    }

    public func record(of node: String) async throws -> NodeRecord? {
        try await store.read("read the SLO record of \(node)") { db in try Self.record(of: node, in: db) }
    }

    public func setObjective(_ objective: ServiceObjective, for node: String) async throws {
        if node.isEmpty { throw SLOMonitorError.emptyNode }
        try await store.write("set the objective of \(node)") { db in
            try db.execute(
                sql: """
                    INSERT INTO slo_node (node, good_per_million, latency_ms, period_seconds) VALUES (?, ?, ?, ?)
                    ON CONFLICT (node) DO UPDATE SET good_per_million = excluded.good_per_million,
                        latency_ms = excluded.latency_ms, period_seconds = excluded.period_seconds
                    """,
                arguments: [
                    node, Int64(objective.goodPerMillion), SQLiteInteger.stored(objective.latencyMilliseconds),
                    SQLiteInteger.stored(objective.periodSeconds),
                ])
        }
    }

    public func objective(of node: String) async throws -> ServiceObjective {
        try await store.read("read the objective of \(node)") { db in try Self.objective(of: node, in: db) }
    }

    public func standing(of node: String, at time: UInt64, rules: [BurnRateRule]) async throws -> SLOStanding? {
        try await store.read("read the SLO standing of \(node)") { db in
            guard try Self.record(of: node, in: db) != nil else { return nil }
            let objective = try Self.objective(of: node, in: db)
            var counts: [UInt64: EventCounts] = [:]
            for seconds in SLOStanding.windows(of: rules, objective: objective) {
                let minutes = EventSeries.minutes(seconds: seconds, endingAt: time)
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT COALESCE(SUM(total), 0) AS total, COALESCE(SUM(bad), 0) AS bad FROM slo_minute
                            WHERE node = ? AND minute >= ? AND minute < ?
                            """),
                    arguments: [
                        node, SQLiteInteger.stored(minutes.lowerBound), SQLiteInteger.stored(minutes.upperBound),
                    ])
                counts[seconds] = EventCounts(
                    total: UInt64(clamping: row?["total"] as Int64? ?? 0),
                    bad: UInt64(clamping: row?["bad"] as Int64? ?? 0))
            }
            return SLOStanding(node: node, time: time, objective: objective, rules: rules, counts: counts)
        }
    }

    // MARK: - Rows

    struct MinuteKey: Hashable {
        var node: String
        var minute: UInt64
    }

    static func objective(of node: String, in db: Database) throws -> ServiceObjective {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT good_per_million, latency_ms, period_seconds FROM slo_node WHERE node = ?"),
                arguments: [node]),
            let good = row["good_per_million"] as Int64?, let latency = row["latency_ms"] as Int64?,
            let period = row["period_seconds"] as Int64?
        else { return .standard }
        // Written only through `setObjective`, which takes a validated objective; a row edited out of range by
        // hand is refused here rather than trusted.
        return try ServiceObjective(
            goodPerMillion: UInt32(clamping: good), latencyMilliseconds: SQLiteInteger.loaded(latency),
            periodSeconds: SQLiteInteger.loaded(period))
    }

    static func record(of node: String, in db: Database) throws -> NodeRecord? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM slo_node WHERE node = ? AND recorded = 1"), arguments: [node])
        else { return nil }
        func number(_ column: String) -> UInt64 { SQLiteInteger.loaded(row[column] as Int64? ?? 0) }
        var record = NodeRecord(node: node)
        record.probes = number("probes")
        record.probesDown = number("probes_down")
        record.lastProbeUp = (row["last_probe_up"] as Int64?).map { $0 != 0 }
        record.lastProbeAt = (row["last_probe_at"] as Int64?).map(SQLiteInteger.loaded)
        record.calls = number("calls")
        record.failedCalls = number("failed_calls")
        record.totalLatencyMilliseconds = number("total_latency_ms")
        record.maximumLatencyMilliseconds = number("maximum_latency_ms")
        record.routings = number("routings")
        record.mismatches = number("mismatches")
        record.lastSampleAt = number("last_sample_at")
        return record
    }

    static func store(_ record: NodeRecord, in db: Database) throws {
        let stored = SQLiteInteger.stored
        try db.cachedStatement(
            sql: """
                INSERT INTO slo_node (node, recorded, probes, probes_down, last_probe_up, last_probe_at, calls,
                    failed_calls, total_latency_ms, maximum_latency_ms, routings, mismatches, last_sample_at)
                VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (node) DO UPDATE SET recorded = 1, probes = excluded.probes,
                    probes_down = excluded.probes_down, last_probe_up = excluded.last_probe_up,
                    last_probe_at = excluded.last_probe_at, calls = excluded.calls,
                    failed_calls = excluded.failed_calls, total_latency_ms = excluded.total_latency_ms,
                    maximum_latency_ms = excluded.maximum_latency_ms, routings = excluded.routings,
                    mismatches = excluded.mismatches, last_sample_at = excluded.last_sample_at
                """
        ).execute(
            arguments: [
                record.node, stored(record.probes), stored(record.probesDown), record.lastProbeUp.map { $0 ? 1 : 0 },
                record.lastProbeAt.map(stored), stored(record.calls), stored(record.failedCalls),
                stored(record.totalLatencyMilliseconds), stored(record.maximumLatencyMilliseconds),
                stored(record.routings), stored(record.mismatches), stored(record.lastSampleAt),
            ])
    }

    static func add(_ counts: EventCounts, to key: MinuteKey, in db: Database) throws {
        let current = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT total, bad FROM slo_minute WHERE node = ? AND minute = ?"),
            arguments: [key.node, SQLiteInteger.stored(key.minute)])
        let sum = counts.adding(
            EventCounts(
                total: SQLiteInteger.loaded(current?["total"] as Int64? ?? 0),
                bad: SQLiteInteger.loaded(current?["bad"] as Int64? ?? 0)))
        try db.cachedStatement(
            sql: """
                INSERT INTO slo_minute (node, minute, total, bad) VALUES (?, ?, ?, ?)
                ON CONFLICT (node, minute) DO UPDATE SET total = excluded.total, bad = excluded.bad
                """
        ).execute(
            arguments: [
                key.node, SQLiteInteger.stored(key.minute), SQLiteInteger.stored(sum.total),
                SQLiteInteger.stored(sum.bad),
            ])
    }
}
