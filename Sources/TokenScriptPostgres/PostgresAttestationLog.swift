import PostgresNIO
import TokenScriptAttestation
import TokenScriptCluster

/// The attestation log in PostgreSQL: one gap-free sequence per topic, fenced appends, reads by position.
///
/// Appends that arrive together share one transaction (`PostgresAppendBatcher`, `ts_append_batch`); each is what one
/// call of `ts_append` (the schema's function; alone, a prepared statement: `PostgresAppendStatement`) does: the
/// fencing lease's row is read `FOR SHARE` (an election committed before refuses the append; one after waits for
/// it), a known id returns its entry, else the topic's `topic_head` row gives the next position. The row lock
/// orders the appends of a topic, so positions commit in order and a reader that has position p has everything
/// before it. Two appends of one new id racing on different connections: the second hits the unique key and is
/// retried once, finding the first. Attestations are stored in their canonical wire form (`Attestation.json`),
/// which is also what a conflicting re-append is compared by, byte for byte.
public final class PostgresAttestationLog: AttestationLog {
    public let store: PostgresStore
    /// How often a subscription reads its topic without a wake-up (a lost `NOTIFY`).
    public let pollInterval: Duration

    /// Appends that arrive together share a transaction.
    let batcher: PostgresAppendBatcher

    public init(store: PostgresStore, pollInterval: Duration = .seconds(1)) {
        self.store = store
        self.pollInterval = pollInterval
        batcher = PostgresAppendBatcher(store: store)
    }

    public func append(_ attestation: Attestation, fencedBy lease: ExecutorLease?) async throws -> LogAppend {
        if let field = attestation.firstMalformedField { throw AttestationLogError.malformed(field: field) }
        try PostgresStore.checkStorable(attestation.id, field: "id")
        try PostgresStore.checkStorable(attestation.topic, field: "topic")
        if let lease { try PostgresStore.checkStorable(lease.instance, field: "fence instance") }
        let result = try await batcher.append(attestation, wire: attestation.json, fencedBy: lease)
        if case .appended(let entry) = result { store.wakeups.appended(topic: entry.topic, entries: [entry]) }
        return result
    }

    /// One append in its own transaction (`PostgresAppendStatement`): a lone append, or one of a batch that
    /// another transaction got in the way of. Two appends of one new id racing on different connections: the second
    /// hits the unique key and is tried once more, finding the first.
    static func appendAlone(
        _ attestation: Attestation, wire: String, fencedBy lease: ExecutorLease?, in store: PostgresStore
    ) async throws -> LogAppend {
        let location = store.location
        let now = PostgresNumber.stored(store.clock.unixSeconds())
        let fenceInstance = lease?.instance
        let fenceEpoch = lease.map { PostgresNumber.stored($0.epoch) }
        return try await store.run("append \(attestation.id) to topic \(attestation.topic)", retrying: true) {
            client in
            for attempt in 0..<2 {
                do {
                    let statement = PostgresAppendStatement(
                        topic: attestation.topic, id: attestation.id, wire: wire, fenceInstance: fenceInstance,
                        fenceEpoch: fenceEpoch, now: now)
                    for try await row in try await client.execute(statement, logger: PostgresStore.quiet) {
                        return try Self.outcome(
                            row, of: attestation, wire: wire, lease: lease, now: now, location: location)
                    }
                    throw PostgresStoreError.failed(
                        location: "\(location)", operation: "append \(attestation.id)", message: "no result")
                } catch  where attempt == 0 && PostgresStoreError.isUniqueViolation(error) {
                    continue  // The same id, appended meanwhile on another connection: read what it logged.
                }
            }
            throw PostgresStoreError.failed(
                location: "\(location)", operation: "append \(attestation.id)", message: "the id kept conflicting")
        }
    }

    static func outcome(
        _ row: PostgresAppendStatement.Row, of attestation: Attestation, wire: String, lease: ExecutorLease?,
        now: Int64, location: PostgresLocation
    ) throws -> LogAppend {
        let (outcome, position, topic, loggedWire, fenceInstance, fenceEpoch, epoch, holder, expiresAt) = row
        switch outcome {
        case "stale":
            // `current` is the live lease at the time of the check, as the other stores report it.
            var current: ExecutorLease? = nil
            if let lease, let epoch, holder != nil, let expiresAt {
                let record = LeaseRecord(
                    lease: ExecutorLease(instance: lease.instance, epoch: PostgresNumber.loaded(epoch)),
                    holder: holder, expiresAt: PostgresNumber.loaded(expiresAt))
                current = record.isLive(at: PostgresNumber.loaded(now)) ? record.lease : nil
            }
            throw StaleLeaseError(presented: lease ?? ExecutorLease(instance: "", epoch: 0), current: current)
        case "logged":
            guard let position, let topic, let loggedWire else { break }
            let logged = LogEntry(
                position: PostgresNumber.loaded(position), attestation: try Self.attestation(loggedWire, location),
                fence: Self.fence(fenceInstance, fenceEpoch))
            // Bytes, not Swift strings: a canonically equivalent respelling is other signed content.
            guard loggedWire.utf8.elementsEqual(wire.utf8) else {
                throw AttestationLogError.conflictingAttestation(
                    id: attestation.id, loggedAt: "\(topic) position \(position)")
            }
            return .alreadyLogged(logged)
        case "appended":
            guard let position else { break }
            return .appended(
                LogEntry(position: PostgresNumber.loaded(position), attestation: attestation, fence: lease))
        default: break
        }
        throw PostgresStoreError.corruptRow(
            location: "\(location)", table: "ts_append", key: attestation.id, reason: "unexpected result \(outcome)")
    }

    public func head(of topic: String) async throws -> UInt64 {
        try PostgresStore.checkStorable(topic, field: "topic")
        return try await store.run("read the head of topic \(topic)", retrying: true) { client in
            let rows = try await client.query(
                "SELECT last_position FROM topic_head WHERE topic = \(topic)", logger: PostgresStore.quiet)
            for try await last in rows.decode(Int64.self) { return PostgresNumber.loaded(last) }
            return 0
        }
    }

    public func entry(topic: String, position: UInt64) async throws -> LogEntry? {
        guard position >= 1, position <= UInt64(Int64.max) else { return nil }
        return try await entries(topic: topic, from: position, limit: 1).first { $0.position == position }
    }

    public func entries(topic: String, from position: UInt64, limit: Int) async throws -> [LogEntry] {
        guard position >= 1, limit >= 1 else { throw AttestationLogError.invalidRange(from: position, limit: limit) }
        guard position <= UInt64(Int64.max) else { return [] }
        try PostgresStore.checkStorable(topic, field: "topic")
        let location = store.location
        return try await store.run("read topic \(topic) from position \(position)", retrying: true) { client in
            let rows = try await client.query(
                """
                SELECT position, attestation, fence_instance, fence_epoch FROM log_entry
                WHERE topic = \(topic) AND position >= \(Int64(position)) ORDER BY position LIMIT \(limit)
                """, logger: PostgresStore.quiet)
            var entries: [LogEntry] = []
            for try await (position, wire, fenceInstance, fenceEpoch) in rows.decode(
                (Int64, String, String?, Int64?).self)
            {
                entries.append(
                    LogEntry(
                        position: PostgresNumber.loaded(position), attestation: try Self.attestation(wire, location),
                        fence: Self.fence(fenceInstance, fenceEpoch)))
            }
            return entries
        }
    }

    public func topics(from position: UInt64, limit: Int) async throws -> [LogTopic] {
        guard position >= 1, limit >= 1 else { throw AttestationLogError.invalidRange(from: position, limit: limit) }
        guard position <= UInt64(Int64.max) else { return [] }
        return try await listTopics(
            """
            SELECT position, topic FROM topic_index WHERE position >= \(Int64(position))
            ORDER BY position LIMIT \(limit)
            """)
    }

    /// The topics created most recently, newest first, at most `limit` (the status page's last attestations).
    public func latestTopics(limit: Int) async throws -> [LogTopic] {
        try await listTopics("SELECT position, topic FROM topic_index ORDER BY position DESC LIMIT \(max(0, limit))")
    }

    private func listTopics(_ query: PostgresQuery) async throws -> [LogTopic] {
        try await store.run("read the topic index", retrying: true) { client in
            var topics: [LogTopic] = []
            let rows = try await client.query(query, logger: PostgresStore.quiet)
            for try await (position, topic) in rows.decode((Int64, String).self) {
                topics.append(LogTopic(position: PostgresNumber.loaded(position), topic: topic))
            }
            return topics
        }
    }

    /// Reads from `position` whenever woken: at once, after each append through this store, at a `NOTIFY` of the
    /// topic from another store, and every `pollInterval` without either. Entries come by position, so none is
    /// skipped or repeated whatever the wake-ups do.
    public func subscribe(topic: String, from position: UInt64) async throws -> AsyncThrowingStream<LogEntry, any Error>
    {
        guard position >= 1 else { throw AttestationLogError.invalidRange(from: position, limit: 1) }
        // Registered before the first read, so an append committed between a read and the wait wakes it.
        return LogSubscription.stream(
            from: position, listener: listen(to: topic), pollInterval: pollInterval,
            retryable: { ($0 as? PostgresStoreError)?.isTransient == true }
        ) {
            [self] next, limit in try await entries(topic: topic, from: next, limit: limit)
        }
    }

    /// A listener woken after every append to `topic` through this store, and at each `NOTIFY` of it from another
    /// store on the database. Registered at once: read after this call, then wait, and no append is missed.
    public func listen(to topic: String) -> LogListener { store.wakeups.local.listen(to: topic) }

    /// Subscriptions and listeners of this store still open on `topic`: ended ones are dropped when they end.
    public func subscriberCount(of topic: String) -> Int { store.wakeups.local.count(of: topic) }

    private static func attestation(_ wire: String, _ location: PostgresLocation) throws -> Attestation {
        do { return try Attestation(json: wire) } catch {
            throw PostgresStoreError.corruptRow(
                location: "\(location)", table: "log_entry", key: String(wire.prefix(80)), reason: "\(error)")
        }
    }

    private static func fence(_ instance: String?, _ epoch: Int64?) -> ExecutorLease? {
        guard let instance, let epoch else { return nil }
        return ExecutorLease(instance: instance, epoch: PostgresNumber.loaded(epoch))
    }
}
