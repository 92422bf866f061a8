import GRDB
import TokenScriptAttestation
import TokenScriptCluster

/// The attestation log in SQLite: one gap-free sequence per topic, fenced appends, reads by position.
///
/// An append is one transaction: check the fencing lease (`SQLiteLeaseAuthority.checkFence`), look the id
/// up (a retry returns the logged entry), take the topic's next position from its `topic_head` row
/// (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), insert the entry. A stale executor's append is refused
/// before anything is written, and since positions are taken under SQLite's write lock they commit in
/// order: a reader that has position p has everything before it. Attestations are stored in their
/// canonical wire form (`Attestation.json`), which is also what a conflicting re-append is compared by.
public final class SQLiteAttestationLog: AttestationLog {
    public let store: SQLiteStore
    /// How often a subscription looks for entries appended by another handle or process.
    public let pollInterval: Duration

    public init(store: SQLiteStore, pollInterval: Duration = .milliseconds(50)) {
        self.store = store
        self.pollInterval = pollInterval
    }

    public func append(_ attestation: Attestation, fencedBy lease: ExecutorLease?) async throws -> LogAppend {
        let appended = try await append(contentsOf: [attestation], fencedBy: lease)
        guard let first = appended.first else {
            throw SQLiteStoreError.failed(path: store.path, operation: "append \(attestation.id)", message: "no result")
        }
        return first
    }

    /// Appends `attestations` in order in one transaction (one sync of the file for all of them): each as
    /// `append(_:fencedBy:)` would, all or nothing. A refused one (malformed, conflicting, a stale lease)
    /// throws and nothing of the batch is written; an id already logged, or repeated in the batch, is
    /// `.alreadyLogged`.
    public func append(contentsOf attestations: [Attestation], fencedBy lease: ExecutorLease?) async throws
        -> [LogAppend]
    {
        for attestation in attestations {
            if let field = attestation.firstMalformedField { throw AttestationLogError.malformed(field: field) }
        }
        guard !attestations.isEmpty else { return [] }
        let clock = store.clock
        let path = store.path
        let operation =
            attestations.count == 1
            ? "append \(attestations[0].id) to topic \(attestations[0].topic)"
            : "append \(attestations.count) attestations"
        // Serialised here, not in the transaction: the store has one writer, and every write waits for it.
        let wires = attestations.map(\.json)
        let appended = try await store.write(operation) { db in
            try SQLiteLeaseAuthority.checkFence(lease, in: db, now: clock.unixSeconds())
            return try zip(attestations, wires).map { attestation, wire in
                try Self.insert(attestation, wire: wire, fencedBy: lease, in: db, path: path)
            }
        }
        var byTopic: [ExactText: [LogEntry]] = [:]
        for case .appended(let entry) in appended { byTopic[ExactText(entry.topic), default: []].append(entry) }
        for (topic, entries) in byTopic { store.wakeups.wake(topic: topic.description, appended: entries) }
        return appended
    }

    /// Inside the append's transaction: the logged entry for a known id, or the next position of the topic
    /// (its `topic_head` row) and a new row.
    private static func insert(
        _ attestation: Attestation, wire: String, fencedBy lease: ExecutorLease?, in db: Database, path: String
    ) throws -> LogAppend {
        if let row = try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM log_entry WHERE attestation_id = ?"), arguments: [attestation.id]
        ) {
            let logged = try entry(row, path: path)
            let loggedWire: String = row["attestation"]
            // Bytes, not Swift strings: a canonically equivalent respelling is other signed content.
            guard loggedWire.utf8.elementsEqual(wire.utf8) else {
                throw AttestationLogError.conflictingAttestation(
                    id: attestation.id, loggedAt: "\(logged.topic) position \(logged.position)")
            }
            return .alreadyLogged(logged)
        }
        let last = try Int64.fetchOne(
            try db.cachedStatement(
                sql: """
                    INSERT INTO topic_head (topic, last_position) VALUES (?, 1)
                    ON CONFLICT (topic) DO UPDATE SET last_position = last_position + 1
                    RETURNING last_position
                    """), arguments: [attestation.topic])
        guard let last else {
            throw SQLiteStoreError.corruptRow(
                path: path, table: "topic_head", key: attestation.topic, reason: "no position returned")
        }
        if last == 1 {
            // The topic's first entry: it takes the next place in the topic index, in the same transaction.
            try db.cachedStatement(sql: "INSERT INTO topic_index (topic) VALUES (?)").execute(arguments: [
                attestation.topic
            ])
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO log_entry (topic, position, attestation_id, attestation, fence_instance, fence_epoch)
                VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                attestation.topic, last, attestation.id, wire, lease?.instance,
                lease.map { SQLiteInteger.stored($0.epoch) },
            ])
        return .appended(LogEntry(position: SQLiteInteger.loaded(last), attestation: attestation, fence: lease))
    }

    public func head(of topic: String) async throws -> UInt64 {
        try await store.read("read the head of topic \(topic)") { db in
            let last = try Int64.fetchOne(
                db, sql: "SELECT last_position FROM topic_head WHERE topic = ?", arguments: [topic])
            return last.map(SQLiteInteger.loaded) ?? 0
        }
    }

    public func entry(topic: String, position: UInt64) async throws -> LogEntry? {
        guard position >= 1, position <= UInt64(Int64.max) else { return nil }
        let path = store.path
        return try await store.read("read topic \(topic) at position \(position)") { db in
            try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT * FROM log_entry WHERE topic = ? AND position = ?"),
                arguments: [topic, Int64(position)]
            ).map { try Self.entry($0, path: path) }
        }
    }

    public func entries(topic: String, from position: UInt64, limit: Int) async throws -> [LogEntry] {
        guard position >= 1, limit >= 1 else { throw AttestationLogError.invalidRange(from: position, limit: limit) }
        guard position <= UInt64(Int64.max) else { return [] }
        let path = store.path
        return try await store.read("read topic \(topic) from position \(position)") { db in
            try Row.fetchAll(
                try db.cachedStatement(
                    sql: "SELECT * FROM log_entry WHERE topic = ? AND position >= ? ORDER BY position LIMIT ?"),
                arguments: [topic, Int64(position), limit]
            ).map { try Self.entry($0, path: path) }
        }
    }

    public func topics(from position: UInt64, limit: Int) async throws -> [LogTopic] {
        guard position >= 1, limit >= 1 else { throw AttestationLogError.invalidRange(from: position, limit: limit) }
        guard position <= UInt64(Int64.max) else { return [] }
        return try await store.read("read the topic index from position \(position)") { db in
            try Row.fetchAll(
                try db.cachedStatement(
                    sql: "SELECT position, topic FROM topic_index WHERE position >= ? ORDER BY position LIMIT ?"),
                arguments: [Int64(position), limit]
            ).map { row in
                let position: Int64 = row["position"]
                return LogTopic(position: SQLiteInteger.loaded(position), topic: row["topic"])
            }
        }
    }

    /// The topics created most recently, newest first, at most `limit` (the status page's last attestations).
    public func latestTopics(limit: Int) async throws -> [LogTopic] {
        try await store.read("read the latest topics") { db in
            try Row.fetchAll(
                db, sql: "SELECT position, topic FROM topic_index ORDER BY position DESC LIMIT ?",
                arguments: [max(0, limit)]
            ).map { row in
                let position: Int64 = row["position"]
                return LogTopic(position: SQLiteInteger.loaded(position), topic: row["topic"])
            }
        }
    }

    /// Reads from `position` whenever woken: at once, after each append through this store handle, and
    /// every `pollInterval` without one (appends by other handles or processes). Entries come by position — from
    /// the file, or handed along by an append through this handle when they follow on from the last one
    /// delivered — so none is skipped or repeated whatever the wake-ups do.
    public func subscribe(topic: String, from position: UInt64) async throws -> AsyncThrowingStream<LogEntry, any Error>
    {
        guard position >= 1 else { throw AttestationLogError.invalidRange(from: position, limit: 1) }
        // Registered before the first read, so an append committed between a read and the wait wakes it.
        return LogSubscription.stream(from: position, listener: listen(to: topic), pollInterval: pollInterval) {
            [self] next, limit in try await entries(topic: topic, from: next, limit: limit)
        }
    }

    /// A listener woken after every append to `topic` through this store handle commits (every append route:
    /// they all end in `append(contentsOf:fencedBy:)`). Registered at once: read after this call, then wait,
    /// and no append is missed; appends by other handles or processes wake nobody (poll for those).
    public func listen(to topic: String) -> LogListener { store.wakeups.listen(to: topic) }

    /// Subscriptions and listeners of this handle still open on `topic`: ended ones are dropped when they end.
    public func subscriberCount(of topic: String) -> Int { store.wakeups.count(of: topic) }

    static func entry(_ row: Row, path: String) throws -> LogEntry {
        let topic: String = row["topic"]
        let position: Int64 = row["position"]
        let wire: String = row["attestation"]
        let attestation: Attestation
        do { attestation = try Attestation(json: wire) } catch {
            throw SQLiteStoreError.corruptRow(
                path: path, table: "log_entry", key: "\(topic) position \(position)", reason: "\(error)")
        }
        let fenceInstance: String? = row["fence_instance"]
        let fenceEpoch: Int64? = row["fence_epoch"]
        let fence = bothOrNil(fenceInstance, fenceEpoch).map {
            ExecutorLease(instance: $0, epoch: SQLiteInteger.loaded($1))
        }
        return LogEntry(position: SQLiteInteger.loaded(position), attestation: attestation, fence: fence)
    }
}

/// Both values, or nil when either is missing.
private func bothOrNil<A, B>(_ first: A?, _ second: B?) -> (A, B)? {
    guard let first, let second else { return nil }
    return (first, second)
}
