import PostgresNIO
import TokenScriptCluster

/// The SLO monitor in PostgreSQL: each node's objective and counters in `slo_node`, its events per minute in
/// `slo_minute`, shared by every anchor on the database.
///
/// A batch of samples is one transaction. Its nodes' rows are created if missing and locked (`FOR UPDATE`, in node
/// order, so two anchors recording at once never deadlock and never lose a count); every sample is classified
/// against the objective read there and counted with the same rules as the other monitors (`NodeRecord.adding`);
/// minutes are added to with `ON CONFLICT DO UPDATE SET total = total + …`, which is atomic on its own.
public final class PostgresSLOMonitor: SLOMonitor {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func record(_ sample: NodeSample) async throws { try await record([sample]) }

    public func record(_ samples: [NodeSample]) async throws {
        if samples.contains(where: \.node.isEmpty) { throw SLOMonitorError.emptyNode }
        for sample in samples { try PostgresStore.checkStorable(sample.node, field: "node") }
        guard !samples.isEmpty else { return }
        try await store.transaction("record \(samples.count) SLO samples") { connection in
            let query: PostgresQuerying = { try await connection.query($0, logger: PostgresStore.quiet) }
            var nodes = Array(Set(samples.map(\.node)))
            nodes.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            var records: [String: NodeRecord] = [:]
            var objectives: [String: ServiceObjective] = [:]
            for node in nodes {
                _ = try await query("INSERT INTO slo_node (node) VALUES (\(node)) ON CONFLICT (node) DO NOTHING")
                objectives[node] = try await Self.objective(of: node, lock: " FOR UPDATE", on: query)
                records[node] = try await Self.record(of: node, on: query) ?? NodeRecord(node: node)
            }
            var minutes: [MinuteKey: EventCounts] = [:]
            for sample in samples {
                records[sample.node] = records[sample.node]?.adding(sample)
                let key = MinuteKey(node: sample.node, minute: sample.time / 60)
                let bad = sample.isBad(under: objectives[sample.node] ?? .standard)
                minutes[key] = (minutes[key] ?? EventCounts()).adding(EventCounts(total: 1, bad: bad ? 1 : 0))
            }
            for (key, counts) in minutes {
                _ = try await query(
                    """
                    INSERT INTO slo_minute (node, minute, total, bad)
                    VALUES (\(key.node), \(PostgresNumber.stored(key.minute)), \(PostgresNumber.stored(counts.total)),
                        \(PostgresNumber.stored(counts.bad)))
                    ON CONFLICT (node, minute) DO UPDATE
                    SET total = slo_minute.total + excluded.total, bad = slo_minute.bad + excluded.bad
                    """)
            }
            for node in nodes {
                guard let record = records[node] else { continue }
                try await Self.store(record, on: query)
                // Minutes before the node's retention, counted back from its newest sample, are no longer asked for.
                let kept = SLOMonitorRetention.minutes(objective: objectives[node] ?? .standard)
                let newest = record.lastSampleAt / 60
                if newest > kept {
                    _ = try await query(
                        """
                        DELETE FROM slo_minute
                        WHERE node = \(node) AND minute < \(PostgresNumber.stored(newest - kept))
                        """)
                }
            }
        }
    }

    public func record(of node: String) async throws -> NodeRecord? {
        try PostgresStore.checkStorable(node, field: "node")
        return try await store.run("read the SLO record of \(node)", retrying: true) { client in
            try await Self.record(of: node, on: { try await client.query($0, logger: PostgresStore.quiet) })
        }
    }

    public func setObjective(_ objective: ServiceObjective, for node: String) async throws {
        if node.isEmpty { throw SLOMonitorError.emptyNode }
        try PostgresStore.checkStorable(node, field: "node")
        try await store.run("set the objective of \(node)", retrying: true) { client in
            try await client.query(
                """
                INSERT INTO slo_node (node, good_per_million, latency_ms, period_seconds)
                VALUES (\(node), \(Int64(objective.goodPerMillion)),
                    \(PostgresNumber.stored(objective.latencyMilliseconds)),
                    \(PostgresNumber.stored(objective.periodSeconds)))
                ON CONFLICT (node) DO UPDATE SET good_per_million = excluded.good_per_million,
                    latency_ms = excluded.latency_ms, period_seconds = excluded.period_seconds
                """, logger: PostgresStore.quiet)
        }
    }

    public func objective(of node: String) async throws -> ServiceObjective {
        try PostgresStore.checkStorable(node, field: "node")
        return try await store.run("read the objective of \(node)", retrying: true) { client in
            try await Self.objective(
                of: node, lock: "", on: { try await client.query($0, logger: PostgresStore.quiet) })
        }
    }

    public func standing(of node: String, at time: UInt64, rules: [BurnRateRule]) async throws -> SLOStanding? {
        try PostgresStore.checkStorable(node, field: "node")
        return try await store.transaction("read the SLO standing of \(node)", retrying: true) {
            connection -> SLOStanding? in
            try await connection.query(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: PostgresStore.quiet)
            let query: PostgresQuerying = { try await connection.query($0, logger: PostgresStore.quiet) }
            guard try await Self.record(of: node, on: query) != nil else { return nil }
            let objective = try await Self.objective(of: node, lock: "", on: query)
            var counts: [UInt64: EventCounts] = [:]
            for seconds in SLOStanding.windows(of: rules, objective: objective) {
                let minutes = EventSeries.minutes(seconds: seconds, endingAt: time)
                let sums =
                    try await
                    (try await query(
                        """
                        SELECT COALESCE(SUM(total), 0)::bigint, COALESCE(SUM(bad), 0)::bigint FROM slo_minute
                        WHERE node = \(node) AND minute >= \(PostgresNumber.stored(minutes.lowerBound))
                            AND minute < \(PostgresNumber.stored(minutes.upperBound))
                        """)).decode((Int64, Int64).self).collectedRows().first ?? (Int64(0), Int64(0))
                counts[seconds] = EventCounts(total: UInt64(clamping: sums.0), bad: UInt64(clamping: sums.1))
            }
            return SLOStanding(node: node, time: time, objective: objective, rules: rules, counts: counts)
        }
    }

    // MARK: - Rows

    struct MinuteKey: Hashable {
        var node: String
        var minute: UInt64
    }

    private static func objective(of node: String, lock: String, on query: PostgresQuerying) async throws
        -> ServiceObjective
    {
        let rows = try await query(
            """
            SELECT good_per_million, latency_ms, period_seconds FROM slo_node WHERE node = \(node)\(unescaped: lock)
            """)
        for try await (good, latency, period) in rows.decode((Int64?, Int64?, Int64?).self) {
            guard let good, let latency, let period else { return .standard }
            // Written only through `setObjective`, which takes a validated objective; a row edited out of range
            // by hand is refused here rather than trusted.
            return try ServiceObjective(
                goodPerMillion: UInt32(clamping: good), latencyMilliseconds: PostgresNumber.loaded(latency),
                periodSeconds: PostgresNumber.loaded(period))
        }
        return .standard
    }

    private static func record(of node: String, on query: PostgresQuerying) async throws -> NodeRecord? {
        let rows = try await query(
            """
            SELECT probes, probes_down, last_probe_up, last_probe_at, calls, failed_calls, total_latency_ms,
                maximum_latency_ms, routings, mismatches, last_sample_at
            FROM slo_node WHERE node = \(node) AND recorded
            """)
        for try await row in rows {
            let numbers = try row.decode(
                (Int64, Int64, Bool?, Int64?, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self)
            let loaded = PostgresNumber.loaded
            var record = NodeRecord(node: node)
            record.probes = loaded(numbers.0)
            record.probesDown = loaded(numbers.1)
            record.lastProbeUp = numbers.2
            record.lastProbeAt = numbers.3.map(loaded)
            record.calls = loaded(numbers.4)
            record.failedCalls = loaded(numbers.5)
            record.totalLatencyMilliseconds = loaded(numbers.6)
            record.maximumLatencyMilliseconds = loaded(numbers.7)
            record.routings = loaded(numbers.8)
            record.mismatches = loaded(numbers.9)
            record.lastSampleAt = loaded(numbers.10)
            return record
        }
        return nil
    }

    private static func store(_ record: NodeRecord, on query: PostgresQuerying) async throws {
        let stored = PostgresNumber.stored
        _ = try await query(
            """
            UPDATE slo_node SET recorded = true, probes = \(stored(record.probes)),
                probes_down = \(stored(record.probesDown)), last_probe_up = \(record.lastProbeUp),
                last_probe_at = \(record.lastProbeAt.map(stored)), calls = \(stored(record.calls)),
                failed_calls = \(stored(record.failedCalls)),
                total_latency_ms = \(stored(record.totalLatencyMilliseconds)),
                maximum_latency_ms = \(stored(record.maximumLatencyMilliseconds)),
                routings = \(stored(record.routings)), mismatches = \(stored(record.mismatches)),
                last_sample_at = \(stored(record.lastSampleAt))
            WHERE node = \(record.node)
            """)
    }
}
