import Foundation
import GRDB
import TokenScriptCluster
import TokenScriptEngine

/// One SQLite database file holding the embedded store: the lease table, the attestation log, the instance
/// heads, placement and the journals, so that *check the epoch, take the position, write* is one transaction.
///
/// The file is opened in WAL mode (readers never block the writer) with `synchronous = FULL`: a transaction
/// that returned is on disk, and one that did not commit is gone after a crash (SQLite's journal, not
/// ours, decides). Every write runs in an `IMMEDIATE` transaction (GRDB's default for a writer), so two
/// handles on one file, in one process or two, serialise their writes through SQLite's lock; a writer
/// waits for the lock up to `busyTimeout` seconds. The schema is migrated when the file is opened.
/// Lease expiry reads `clock`, the store's clock, never the caller's.
public final class SQLiteStore: Sendable {
    public let path: String
    /// The node clock every lease expiry is read from.
    public let clock: any EngineClock
    let pool: DatabasePool
    /// A connection of its own for the synchronous reads (a journal verified at open or read inside its actor):
    /// a thread blocked on it waits only for another synchronous read, never for a reader of `pool` whose
    /// release needs a thread of Swift's cooperative pool (with every cooperative thread blocked that way, a
    /// node applying to many instances at once hung).
    let blockingReader: DatabaseQueue
    /// Every `write` goes through it: concurrent writes share one transaction and one sync of the file.
    let groupCommit: SQLiteGroupCommit
    /// Wakes this handle's log subscribers after an append commits (other handles are found by polling).
    let wakeups = LogWakeups()

    /// The most writes one group-commit transaction takes unless the initialiser is told otherwise: 512, or the
    /// environment's `TOKENSCRIPT_SQLITE_MAX_BATCH` (1 = one transaction and one sync per write, the behaviour
    /// before group commit; `Benchmarks/run-network-benchmark.sh` measures both side by side).
    public static var defaultMaximumBatch: Int {
        ProcessInfo.processInfo.environment["TOKENSCRIPT_SQLITE_MAX_BATCH"].flatMap { Int($0) }.map { max(1, $0) }
            ?? 512
    }

    /// Opens (creating if needed) the store at `path` and applies the migrations it lacks.
    /// - Parameter maximumBatch: the most writes one transaction of the group commit takes.
    /// - Throws: `SQLiteStoreError.cannotOpen` naming the path and SQLite's message (not a database, no such
    ///   directory, no permission), `.newerSchema` for a file written by a newer build.
    public init(
        path: String, clock: any EngineClock, busyTimeout: Double = 10, maximumBatch: Int = defaultMaximumBatch
    ) throws(SQLiteStoreError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "tokenscript-store"
        self.path = path
        self.clock = clock
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            groupCommit = SQLiteGroupCommit(pool: pool, maximumBatch: max(1, maximumBatch))
            var readOnly = Configuration()
            readOnly.readonly = true
            readOnly.busyMode = .timeout(busyTimeout)
            readOnly.label = "tokenscript-store-blocking-reads"
            blockingReader = try DatabaseQueue(path: path, configuration: readOnly)
            // FULL: the WAL is synced at every commit, so a committed step survives power loss, not just kill -9.
            // Set on the pool's one writer connection, after GRDB's WAL setup has set NORMAL.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw .cannotOpen(path: path, message: Self.message(of: error))
        }
        let superseded: Result<[String]?, any Error> = Result {
            try pool.read { db in
                try SQLiteSchema.migrator.hasBeenSuperseded(db)
                    ? SQLiteSchema.migrator.appliedIdentifiers(db).sorted() : nil
            }
        }
        switch superseded {
        case .success(let applied?): throw .newerSchema(path: path, applied: applied)
        case .success(nil): break
        case .failure(let error): throw .cannotOpen(path: path, message: Self.message(of: error))
        }
        do { try SQLiteSchema.migrator.migrate(pool) } catch {
            throw .cannotOpen(path: path, message: "migrating the schema: " + Self.message(of: error))
        }

    }

    /// The migrations applied to the file, in order (the schema version).
    public func appliedMigrations() throws(SQLiteStoreError) -> [String] {
        do { return try pool.read { db in try SQLiteSchema.migrator.completedMigrations(db) } } catch {
            throw .failed(path: path, operation: "reading the schema version", message: Self.message(of: error))
        }
    }

    /// The journal mode and `synchronous` level a write connection runs with (`wal`, 2 = FULL): what the
    /// durability promise rests on, for a health page and for the tests.
    public func durability() throws(SQLiteStoreError) -> (journalMode: String, synchronous: Int) {
        do {
            return try pool.write { db in
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
                let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
                return (mode, synchronous)
            }
        } catch {
            throw .failed(path: path, operation: "reading the durability settings", message: Self.message(of: error))
        }
    }

    /// Runs `body` as one write, atomic and isolated as its own transaction would be: committed (on disk) when it
    /// returns, rolled back when it throws. Writes that arrive together share a transaction and one sync
    /// (`SQLiteGroupCommit`), each in its own savepoint. SQLite's own failures become `SQLiteStoreError.failed`
    /// naming `operation`; the errors `body` throws (a stale lease, a lost compare-and-swap) pass through unchanged.
    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await groupCommit.write(body) } catch let error as DatabaseError {
            throw SQLiteStoreError.failed(path: path, operation: operation, message: Self.message(of: error))
        }
    }

    /// Transactions committed by `write` and the writes they held: how much the group commit shared.
    public var groupCommitStatistics: (batches: Int, writes: Int) { groupCommit.statistics }

    /// Runs `body` on a consistent snapshot (a read transaction).
    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch let error as DatabaseError {
            throw SQLiteStoreError.failed(path: path, operation: operation, message: Self.message(of: error))
        }
    }

    /// SQLite's message and result code, without GRDB's wrapping.
    static func message(of error: any Error) -> String {
        guard let error = error as? DatabaseError else { return "\(error)" }
        return "\(error.message ?? "SQLite error") (SQLite code \(error.extendedResultCode.rawValue))"
    }
}
