import Foundation
import GRDB
import TokenScriptCluster
import TokenScriptEngine

/// An instance's journal in the SQLite store: the header line in `journal`, one row per sealed line in
/// `journal_entry`, keyed by (instance, sequence).
///
/// An append is one transaction that reads the stored head (the last row's sequence and hash), refuses an
/// entry that does not continue it (`JournalHead.checkContinues`) and inserts the line: the check is made
/// against the file, not a cached head, so two handles appending to one journal cannot fork it, and the
/// primary key would refuse a second line at one sequence anyway. `append(_:fencedBy:)` also checks the
/// executor's lease in that transaction. Durable when it returns (`SQLiteStore`: WAL, synchronous=FULL);
/// a transaction cut short by a crash is rolled back by SQLite when the file is next opened, so there is
/// no torn line to drop. Opening verifies every line's chain and signature (`Journal(bytes:)`), as
/// reading does, so a row altered behind the store's back is reported, not served.
///
/// A journal opened with `keepsInstanceHead` also advances the instance's row in `token_instance` (its step
/// and canonical value, from the entry's snapshot) in the append's transaction: a node's step is then one
/// write and one sync, and the stored head can never lag its journal after a crash.
public actor SQLiteJournalStore: PublishingJournalStore {
    public nonisolated let header: JournalHeader
    public nonisolated let store: SQLiteStore
    /// Whether each append also advances the instance's `token_instance` row (when it exists and is behind).
    public nonisolated let keepsInstanceHead: Bool
    package var subscribers = JournalSubscribers()
    /// Sequences being appended: committed or committing, but their `append` has not returned (it awaits the
    /// store's group commit), so they are neither read back nor published yet.
    private var committing: Set<UInt64> = []

    /// Creates the journal of `header.instanceID` in `store`, holding only `header`.
    /// - Throws: `.headerMismatch` when the store holds a journal for that instance already; `.io` when
    ///   the file cannot be written.
    public init(creating header: JournalHeader, in store: SQLiteStore, keepsInstanceHead: Bool = false)
        throws(JournalStoreError)
    {
        self.header = header
        self.store = store
        self.keepsInstanceHead = keepsInstanceHead
        try Self.typed(store) {
            try Self.run(store, "create the journal of \(header.instanceID)") { db in
                let exists =
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM journal WHERE instance = ?", arguments: [header.instanceID]) ?? false
                if exists {
                    throw JournalStoreError(
                        .headerMismatch(
                            field: "instance",
                            detail: "\(store.path) holds a journal for instance \(header.instanceID) already"))
                }
                try db.execute(
                    sql: "INSERT INTO journal (instance, header) VALUES (?, ?)",
                    arguments: [header.instanceID, Data(header.line)])
            }
        }
    }

    /// Opens the stored journal of `instanceID`, verifying every line.
    /// - Throws: `.io` when there is none or the file cannot be read, `.unreadable` when a line does not verify.
    public init(opening instanceID: String, in store: SQLiteStore, keepsInstanceHead: Bool = false)
        throws(JournalStoreError)
    {
        let journal = try Self.verifiedJournal(instanceID, in: store)
        self.header = journal.header
        self.store = store
        self.keepsInstanceHead = keepsInstanceHead
    }

    /// The head as the file has it now (another handle may have appended since this one last did).
    public func head() async throws(JournalStoreError) -> JournalHead {
        let header = header
        do {
            return try await store.read("read the head of the journal of \(header.instanceID)") { db in
                try Self.storedHead(header, in: db)
            }
        } catch SQLiteStoreError.failed(let path, let operation, let message) {
            throw JournalStoreError(.io(path: path, message: "\(operation): \(message)"))
        } catch let error as JournalStoreError {
            throw error
        } catch {
            throw JournalStoreError(.io(path: store.path, message: "\(error)"))
        }
    }

    public func append(_ entry: SealedJournalEntry) async throws(JournalStoreError) {
        do { try await insert(entry, fencedBy: nil) } catch let error as JournalStoreError { throw error } catch {
            throw JournalStoreError(.io(path: store.path, message: "\(error)"))
        }
    }

    /// Appends `entry` only while `lease` is the instance's live lease, checked in the append's transaction:
    /// a stale executor's append is refused (`StaleLeaseError`) and nothing is written.
    public func append(_ entry: SealedJournalEntry, fencedBy lease: ExecutorLease) async throws {
        try await insert(entry, fencedBy: lease)
    }

    /// Leaves out an entry whose append has not returned yet (committed, not yet published): a stream that
    /// joins meanwhile gets it once, from the publication, never twice.
    public func entries(from sequence: UInt64) throws(JournalStoreError) -> [SealedJournalEntry] {
        let journal = try Self.verifiedJournal(header.instanceID, in: store)
        guard journal.header == header else {
            throw JournalStoreError(
                .headerMismatch(field: "header", detail: "\(store.path) holds another journal for this instance"))
        }
        return journal.sealedEntries.filter { $0.entry.sequence >= sequence && !committing.contains($0.entry.sequence) }
    }

    public nonisolated func updates(after sequence: UInt64) -> AsyncThrowingStream<SealedJournalEntry, any Error> {
        subscription(after: sequence)
    }

    /// Hands an entry committed by a batch (`SQLiteJournalStore.append(_:in:)`) to this journal's streams.
    func publish(_ entry: SealedJournalEntry) {
        subscribers.publish(entry)
    }

    /// One write through the store's group commit (`SQLiteStore.write`): on disk when it returns, possibly in
    /// one transaction with other instances' appends; SQLite's failures become `.io` naming the file.
    private func insert(_ entry: SealedJournalEntry, fencedBy lease: ExecutorLease?) async throws {
        let header = header
        let clock = store.clock
        let operation = "append sequence \(entry.entry.sequence) to the journal of \(header.instanceID)"
        // Encoded here, not on the store's one writer thread.
        let instanceHead = keepsInstanceHead ? InstanceHeadSnapshot(entry.entry.instance) : nil
        committing.insert(entry.entry.sequence)
        defer { committing.remove(entry.entry.sequence) }
        do {
            try await store.write(operation) { db in
                try SQLiteLeaseAuthority.checkFence(lease, in: db, now: clock.unixSeconds())
                try Self.storedHead(header, in: db).checkContinues(with: entry)
                try db.cachedStatement(
                    sql: "INSERT INTO journal_entry (instance, sequence, line, hash) VALUES (?, ?, ?, ?)"
                ).execute(
                    arguments: [
                        header.instanceID, SQLiteInteger.stored(entry.entry.sequence), Data(entry.line), entry.hash,
                    ])
                try instanceHead?.advance(header.instanceID, in: db)
            }
        } catch SQLiteStoreError.failed(let path, _, let message) {
            throw JournalStoreError(.io(path: path, message: "\(operation): \(message)"))
        }
        subscribers.publish(entry)
    }

    static func storedHead(_ header: JournalHeader, in db: Database) throws -> JournalHead {
        let last = try Row.fetchOne(
            try db.cachedStatement(
                sql: "SELECT sequence, hash FROM journal_entry WHERE instance = ? ORDER BY sequence DESC LIMIT 1"),
            arguments: [header.instanceID])
        guard let last else { return JournalHead(header: header) }
        let sequence: Int64 = last["sequence"]
        return JournalHead(nextSequence: SQLiteInteger.loaded(sequence) + 1, lastHash: last["hash"])
    }

    /// The header and every line of the stored journal, read in one snapshot and verified as a journal file.
    private static func verifiedJournal(_ instanceID: String, in store: SQLiteStore) throws(JournalStoreError)
        -> Journal
    {
        let lines = try read(store, "read the journal of \(instanceID)") { db in try Self.lines(instanceID, in: db) }
        return try journal(lines, instanceID, in: store)
    }

    /// The header line and every entry line of the stored journal of `instanceID`, or nil when there is none.
    private static func lines(_ instanceID: String, in db: Database) throws -> [Data]? {
        guard
            let header = try Data.fetchOne(
                db, sql: "SELECT header FROM journal WHERE instance = ?", arguments: [instanceID])
        else { return nil }
        let entries = try Data.fetchAll(
            db, sql: "SELECT line FROM journal_entry WHERE instance = ? ORDER BY sequence", arguments: [instanceID])
        return [header] + entries
    }

    /// The stored lines verified as a journal file.
    private static func journal(_ lines: [Data]?, _ instanceID: String, in store: SQLiteStore)
        throws(JournalStoreError) -> Journal
    {
        guard let lines else {
            throw JournalStoreError(.io(path: store.path, message: "no journal for instance \(instanceID)"))
        }
        do { return try Journal(bytes: lines.flatMap { [UInt8]($0) + [0x0a] }) } catch {
            throw JournalStoreError(.unreadable(error))
        }
    }

    /// One write transaction; SQLite's failures become `.io` naming the file and what was being done.
    @discardableResult
    private static func run<T>(_ store: SQLiteStore, _ operation: String, _ body: (Database) throws -> T) throws -> T {
        do { return try store.pool.write(body) } catch let error as DatabaseError {
            throw JournalStoreError(.io(path: store.path, message: "\(operation): \(SQLiteStore.message(of: error))"))
        }
    }

    /// `body`'s `JournalStoreError`, or any other error as `.io` naming the file.
    private static func typed<T>(_ store: SQLiteStore, _ body: () throws -> T) throws(JournalStoreError) -> T {
        do { return try body() } catch let error as JournalStoreError { throw error } catch {
            throw JournalStoreError(.io(path: store.path, message: "\(error)"))
        }
    }

    private static func read<T>(_ store: SQLiteStore, _ operation: String, _ body: (Database) throws -> T)
        throws(JournalStoreError) -> T
    {
        do { return try store.blockingReader.read(body) } catch let error as JournalStoreError { throw error } catch {
            throw JournalStoreError(.io(path: store.path, message: "\(operation): \(SQLiteStore.message(of: error))"))
        }
    }
}
