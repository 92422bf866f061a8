import PostgresNIO
import TokenScriptCluster
import TokenScriptEngine

/// An instance's journal in PostgreSQL: the header line in `journal`, one row per sealed line in `journal_entry`,
/// keyed by (instance, sequence). A node keeps its journals in a schema of its own (`?schema=` in the URL): every
/// host of an instance writes its own journal of it.
///
/// An append is one transaction that reads the stored head (the last row's sequence and hash), refuses an entry
/// that does not continue it (`JournalHead.checkContinues`) and inserts the line; of two writers from one head the
/// primary key lets one in and the other gets `sequenceMismatch`, so the journal never forks. `append(_:fencedBy:)`
/// also checks the executor's lease (its row read `FOR SHARE`) in that transaction, and a journal opened with
/// `keepsInstanceHead` moves the instance's `token_instance` row forward there too. Opening verifies every line's
/// chain and signature (`Journal(bytes:)`), as reading does: a row altered behind the store's back is reported.
///
/// `updates(after:)` registers the stream before it reads the backlog, and each stream passes on entries strictly
/// in sequence from where it is: an append that commits while the backlog is read is neither lost nor given twice.
public actor PostgresJournalStore: JournalStore {
    public nonisolated let header: JournalHeader
    public nonisolated let store: PostgresStore
    /// Whether each append also advances the instance's `token_instance` row (when it exists and is behind).
    public nonisolated let keepsInstanceHead: Bool
    private var streams: [ObjectIdentifier: JournalStreamCursor] = [:]

    private init(header: JournalHeader, store: PostgresStore, keepsInstanceHead: Bool) {
        self.header = header
        self.store = store
        self.keepsInstanceHead = keepsInstanceHead
    }

    /// Creates the journal of `header.instanceID` in `store`, holding only `header`.
    /// - Throws: `.headerMismatch` when the store holds a journal for that instance already; `.io` naming the
    ///   database when it cannot be written.
    public static func create(_ header: JournalHeader, in store: PostgresStore, keepsInstanceHead: Bool = false)
        async throws(JournalStoreError) -> PostgresJournalStore
    {
        let instance = header.instanceID
        let inserted = try await typed(store) {
            try PostgresStore.checkStorable(instance, field: "instance id")
            return try await store.run("create the journal of \(instance)") { client in
                try await
                    (try await client.query(
                        """
                        INSERT INTO journal (instance, header) VALUES (\(instance), \(ByteBuffer(bytes: header.line)))
                        ON CONFLICT (instance) DO NOTHING RETURNING 1
                        """, logger: PostgresStore.quiet)).decode(Int.self).collectedRows().count == 1
            }
        }
        guard inserted else {
            throw JournalStoreError(
                .headerMismatch(
                    field: "instance", detail: "\(store.location) holds a journal for instance \(instance) already"))
        }
        return PostgresJournalStore(header: header, store: store, keepsInstanceHead: keepsInstanceHead)
    }

    /// Opens the stored journal of `instanceID`, verifying every line.
    /// - Throws: `.io` when there is none or the database cannot be read, `.unreadable` when a line does not verify.
    public static func open(_ instanceID: String, in store: PostgresStore, keepsInstanceHead: Bool = false)
        async throws(JournalStoreError) -> PostgresJournalStore
    {
        let journal = try await verifiedJournal(instanceID, in: store)
        return PostgresJournalStore(header: journal.header, store: store, keepsInstanceHead: keepsInstanceHead)
    }

    /// The head as the database has it now (another handle may have appended since this one last did).
    public func head() async throws(JournalStoreError) -> JournalHead {
        let header = header
        let store = store
        return try await Self.typed(store) {
            try await store.run("read the head of the journal of \(header.instanceID)", retrying: true) { client in
                try await Self.storedHead(header, on: { try await client.query($0, logger: PostgresStore.quiet) })
            }
        }
    }

    public func append(_ entry: SealedJournalEntry) async throws(JournalStoreError) {
        do { try await insert(entry, fencedBy: nil) } catch let error as JournalStoreError { throw error } catch {
            throw JournalStoreError(.io(path: "\(store.location)", message: "\(error)"))
        }
    }

    /// Appends `entry` only while `lease` is the instance's live lease, checked in the append's transaction: a stale
    /// executor's append is refused (`StaleLeaseError`) and nothing is written.
    public func append(_ entry: SealedJournalEntry, fencedBy lease: ExecutorLease) async throws {
        try await insert(entry, fencedBy: lease)
    }

    public func entries(from sequence: UInt64) async throws(JournalStoreError) -> [SealedJournalEntry] {
        let journal = try await Self.verifiedJournal(header.instanceID, in: store)
        guard journal.header == header else {
            throw JournalStoreError(
                .headerMismatch(field: "header", detail: "\(store.location) holds another journal for this instance"))
        }
        return journal.sealedEntries.filter { $0.entry.sequence >= sequence }
    }

    public nonisolated func updates(after sequence: UInt64) -> AsyncThrowingStream<SealedJournalEntry, any Error> {
        JournalSubscribers.stream(
            subscribe: { continuation, token in await self.subscribe(continuation, token: token, after: sequence) },
            unsubscribe: { token in await self.unsubscribe(token) })
    }

    private func subscribe(
        _ continuation: JournalSubscribers.Continuation, token: JournalSubscribers.Token, after sequence: UInt64
    ) async {
        guard sequence < .max else {
            streams[ObjectIdentifier(token)] = JournalStreamCursor(continuation, next: .max, loading: false)
            return
        }
        let key = ObjectIdentifier(token)
        // Registered first: what commits while the backlog is read is held by the cursor, not missed.
        streams[key] = JournalStreamCursor(continuation, next: sequence + 1, loading: true)
        do {
            let backlog = try await entries(from: sequence + 1)
            streams[key]?.deliverBacklog(backlog)
        } catch {
            streams[key] = nil
            continuation.finish(throwing: error)
        }
    }

    private func unsubscribe(_ token: JournalSubscribers.Token) {
        streams[ObjectIdentifier(token)] = nil
    }

    private func publish(_ entry: SealedJournalEntry) {
        for key in streams.keys { streams[key]?.offer(entry) }
    }

    /// One transaction: the fence, the head check, the line and (with `keepsInstanceHead`) the instance's row.
    private func insert(_ entry: SealedJournalEntry, fencedBy lease: ExecutorLease?) async throws {
        let header = header
        let clock = store.clock
        let instanceHead = keepsInstanceHead ? InstanceHeadSnapshot(entry.entry.instance) : nil
        let operation = "append sequence \(entry.entry.sequence) to the journal of \(header.instanceID)"
        try await store.transaction(operation) { connection in
            try await PostgresInstanceStore.checkFence(lease, on: connection, now: clock.unixSeconds())
            try await Self.storedHead(header, on: { try await connection.query($0, logger: PostgresStore.quiet) })
                .checkContinues(with: entry)
            do {
                try await connection.query(
                    """
                    INSERT INTO journal_entry (instance, sequence, line, hash)
                    VALUES (\(header.instanceID), \(PostgresNumber.stored(entry.entry.sequence)),
                        \(ByteBuffer(bytes: entry.line)), \(entry.hash))
                    """, logger: PostgresStore.quiet)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                // Another writer took this sequence after the head was read here, and committed first.
                let sequence = entry.entry.sequence
                throw JournalStoreError(.sequenceMismatch(appended: sequence, next: sequence + 1))
            }
            try await instanceHead?.advance(header.instanceID, on: connection)
        }
        publish(entry)
    }

    /// The stored head of `header`'s journal: its last row, or the header alone.
    private static func storedHead(_ header: JournalHeader, on query: PostgresQuerying) async throws -> JournalHead {
        let rows = try await query(
            """
            SELECT sequence, hash FROM journal_entry WHERE instance = \(header.instanceID)
            ORDER BY sequence DESC LIMIT 1
            """)
        for try await (sequence, hash) in rows.decode((Int64, String).self) {
            return JournalHead(nextSequence: PostgresNumber.loaded(sequence) + 1, lastHash: hash)
        }
        return JournalHead(header: header)
    }

    /// The header and every line of the stored journal, read in one statement and verified as a journal file.
    private static func verifiedJournal(_ instanceID: String, in store: PostgresStore) async throws(JournalStoreError)
        -> Journal
    {
        let lines = try await typed(store) {
            try PostgresStore.checkStorable(instanceID, field: "instance id")
            return try await store.run("read the journal of \(instanceID)", retrying: true) { client in
                let rows = try await client.query(
                    """
                    SELECT 0 AS part, 0::bigint AS sequence, header AS line FROM journal WHERE instance = \(instanceID)
                    UNION ALL
                    SELECT 1, sequence, line FROM journal_entry WHERE instance = \(instanceID)
                    ORDER BY part, sequence
                    """, logger: PostgresStore.quiet)
                var lines: [[UInt8]] = []
                for try await (_, _, line) in rows.decode((Int32, Int64, ByteBuffer).self) {
                    lines.append(Array(line.readableBytesView))
                }
                return lines
            }
        }
        guard !lines.isEmpty else {
            throw JournalStoreError(.io(path: "\(store.location)", message: "no journal for instance \(instanceID)"))
        }
        do { return try Journal(bytes: lines.flatMap { $0 + [0x0a] }) } catch {
            throw JournalStoreError(.unreadable(error))
        }
    }

    /// `body`'s `JournalStoreError`, or any other error as `.io` naming the database (a stale lease passes as is
    /// only through `append(_:fencedBy:)`, which is not typed).
    private static func typed<T: Sendable>(_ store: PostgresStore, _ body: () async throws -> T)
        async throws(JournalStoreError) -> T
    {
        do { return try await body() } catch let error as JournalStoreError { throw error } catch {
            throw JournalStoreError(.io(path: "\(store.location)", message: "\(error)"))
        }
    }
}
