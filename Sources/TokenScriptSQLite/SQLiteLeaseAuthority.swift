import GRDB
import TokenScriptCluster
import TokenScriptEngine

/// The lease table in SQLite: `ExecutorElection` as compare-and-swap on the row `(instance, epoch)`.
///
/// Each operation is one `IMMEDIATE` transaction: read the row, decide in Swift (expiry against the store's
/// clock; numbers are compared unsigned, which SQL cannot do on bit patterns), then a conditional `UPDATE …
/// WHERE instance = ? AND epoch = ?` whose row count must be 1, or an `INSERT` for the first election (the
/// primary key refuses a second). Two handles on one file, in one process or two, serialise on SQLite's
/// write lock, so of any number of candidates at one epoch exactly one wins. The stores that take an
/// `ExecutorLease` call `checkFence` inside their own write transaction.
public final class SQLiteLeaseAuthority: ExecutorElection {
    public let store: SQLiteStore
    /// Seconds a lease holds after `acquire`, `takeOver` or `renew`.
    public let leaseSeconds: UInt64

    public init(store: SQLiteStore, leaseSeconds: UInt64 = 30) {
        self.store = store
        self.leaseSeconds = leaseSeconds
    }

    /// The live lease, or nil; nil too when the file cannot be read (the executor then refuses to send,
    /// the safe side of fencing).
    public func currentLease(of instance: String) async -> ExecutorLease? {
        let clock = store.clock
        let found = try? await store.read("read the lease of \(instance)") { db in try Self.row(instance, in: db) }
        guard let found, found.isLive(at: clock.unixSeconds()) else { return nil }
        return found.lease
    }

    public func record(of instance: String) async throws -> LeaseRecord? {
        try await store.read("read the lease of \(instance)") { db in try Self.row(instance, in: db) }
    }

    public func acquire(_ instance: String, for candidate: String, seenEpoch: UInt64) async throws -> LeaseRecord {
        try await elect(instance, candidate: candidate, seenEpoch: seenEpoch, overLiveLease: false)
    }

    public func takeOver(_ instance: String, for candidate: String, seenEpoch: UInt64) async throws -> LeaseRecord {
        try await elect(instance, candidate: candidate, seenEpoch: seenEpoch, overLiveLease: true)
    }

    public func renew(_ lease: ExecutorLease, for holder: String) async throws -> LeaseRecord {
        let clock = store.clock
        let leaseSeconds = leaseSeconds
        return try await store.write("renew \(lease) for \(holder)") { db in
            let now = clock.unixSeconds()
            try LeaseRules.requireHeld(lease, by: holder, found: try Self.row(lease.instance, in: db), now: now)
            let renewed = LeaseRules.held(lease, by: holder, now: now, leaseSeconds: leaseSeconds)
            try Self.update(renewed, expectingEpoch: lease.epoch, in: db)
            return renewed
        }
    }

    public func release(_ lease: ExecutorLease, for holder: String) async throws {
        let clock = store.clock
        try await store.write("release \(lease) for \(holder)") { db in
            try LeaseRules.requireHeld(
                lease, by: holder, found: try Self.row(lease.instance, in: db), now: clock.unixSeconds())
            try db.execute(
                sql: "UPDATE lease SET holder = NULL WHERE instance = ? AND epoch = ?",
                arguments: [lease.instance, SQLiteInteger.stored(lease.epoch)])
        }
    }

    /// Throws `StaleLeaseError` unless `lease` is the instance's live lease at `now`; with no lease, passes.
    ///
    /// Called inside the write transaction it guards: an election committed before it is seen (the write is
    /// refused), one that starts after it waits for SQLite's write lock, so it cannot come in between.
    static func checkFence(_ lease: ExecutorLease?, in db: Database, now: UInt64) throws {
        guard let lease else { return }
        try LeaseRules.checkFence(lease, found: try row(lease.instance, in: db), now: now)
    }

    private func elect(
        _ instance: String, candidate: String, seenEpoch: UInt64, overLiveLease: Bool
    ) async throws -> LeaseRecord {
        try LeaseRules.checkNames(instance: instance, candidate: candidate)
        let clock = store.clock
        let leaseSeconds = leaseSeconds
        return try await store.write("elect \(candidate) for instance \(instance)") { db in
            let found = try Self.row(instance, in: db)
            let granted = try LeaseRules.granted(
                instance, to: candidate, seenEpoch: seenEpoch, found: found, now: clock.unixSeconds(),
                leaseSeconds: leaseSeconds, overLiveLease: overLiveLease)
            let conflict = ElectionError.conflict(
                instance: instance, candidate: candidate, seenEpoch: seenEpoch, found: found)
            if found == nil {
                try db.execute(
                    sql: "INSERT INTO lease (instance, epoch, holder, expires_at) VALUES (?, ?, ?, ?)",
                    arguments: [
                        instance, SQLiteInteger.stored(granted.lease.epoch), candidate,
                        SQLiteInteger.stored(granted.expiresAt),
                    ])
            } else {
                try Self.update(granted, expectingEpoch: seenEpoch, in: db)
                guard db.changesCount == 1 else { throw conflict }
            }
            return granted
        }
    }

    /// The compare-and-swap: writes `record` only while the row is still at `expectingEpoch`.
    private static func update(_ record: LeaseRecord, expectingEpoch: UInt64, in db: Database) throws {
        try db.cachedStatement(
            sql: "UPDATE lease SET epoch = ?, holder = ?, expires_at = ? WHERE instance = ? AND epoch = ?"
        ).execute(
            arguments: [
                SQLiteInteger.stored(record.lease.epoch), record.holder, SQLiteInteger.stored(record.expiresAt),
                record.lease.instance, SQLiteInteger.stored(expectingEpoch),
            ])
    }

    /// The lease rows of the instances first elected most recently, at most `limit` (the status page's
    /// executors): each instance once, with its last epoch and holder, released and expired ones included.
    public func records(limit: Int) async throws -> [LeaseRecord] {
        try await store.read("read the leases") { db in
            try Row.fetchAll(
                db, sql: "SELECT instance, epoch, holder, expires_at FROM lease ORDER BY rowid DESC LIMIT ?",
                arguments: [max(0, limit)]
            ).map { row in Self.record(row, of: row["instance"]) }
        }
    }

    static func row(_ instance: String, in db: Database) throws -> LeaseRecord? {
        guard
            let row = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT epoch, holder, expires_at FROM lease WHERE instance = ?"),
                arguments: [instance])
        else { return nil }
        return record(row, of: instance)
    }

    /// A lease row (`epoch`, `holder`, `expires_at`) as the record of `instance`.
    private static func record(_ row: Row, of instance: String) -> LeaseRecord {
        let epoch: Int64 = row["epoch"]
        let expiresAt: Int64 = row["expires_at"]
        let holder: String? = row["holder"]
        return LeaseRecord(
            lease: ExecutorLease(instance: instance, epoch: SQLiteInteger.loaded(epoch)), holder: holder,
            expiresAt: SQLiteInteger.loaded(expiresAt))
    }
}
