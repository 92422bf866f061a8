import PostgresNIO
import TokenScriptCluster
import TokenScriptEngine

/// The lease table in PostgreSQL: `ExecutorElection` as compare-and-swap on the row `(instance, epoch)`.
///
/// Each operation is one transaction that reads the row `FOR UPDATE` (a concurrent election on the same instance
/// waits for this one to commit, then reads its result), decides in Swift (expiry against the store's clock,
/// numbers compared unsigned), and writes with a conditional `UPDATE … WHERE instance = $1 AND epoch = $2`, or an
/// `INSERT … ON CONFLICT DO NOTHING` for the first election. A write that changed no row lost the race and
/// changes nothing, so of any number of anchors electing at one epoch exactly one wins. Fenced writes read the
/// row `FOR SHARE` in their own transaction (`ts_append`, `PostgresInstanceStore`).
public final class PostgresLeaseAuthority: ExecutorElection {
    public let store: PostgresStore
    /// Seconds a lease holds after `acquire`, `takeOver` or `renew`.
    public let leaseSeconds: UInt64

    public init(store: PostgresStore, leaseSeconds: UInt64 = 30) {
        self.store = store
        self.leaseSeconds = leaseSeconds
    }

    /// The live lease, or nil; nil too when the database cannot be read (the executor then refuses to send, the
    /// safe side of fencing).
    public func currentLease(of instance: String) async -> ExecutorLease? {
        let found = try? await record(of: instance)
        guard let found, found.isLive(at: store.clock.unixSeconds()) else { return nil }
        return found.lease
    }

    public func record(of instance: String) async throws -> LeaseRecord? {
        try PostgresStore.checkStorable(instance, field: "instance")
        return try await store.run("read the lease of \(instance)", retrying: true) { client in
            try await Self.row(instance, lock: "", on: { try await client.query($0, logger: PostgresStore.quiet) })
        }
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
        return try await store.transaction("renew \(lease) for \(holder)", retrying: true) { connection in
            let now = clock.unixSeconds()
            try await Self.requireHeld(lease, by: holder, on: connection, now: now)
            let renewed = LeaseRules.held(lease, by: holder, now: now, leaseSeconds: leaseSeconds)
            try await connection.query(
                """
                UPDATE lease SET expires_at = \(PostgresNumber.stored(renewed.expiresAt))
                WHERE instance = \(lease.instance) AND epoch = \(PostgresNumber.stored(lease.epoch))
                """, logger: PostgresStore.quiet)
            return renewed
        }
    }

    public func release(_ lease: ExecutorLease, for holder: String) async throws {
        let clock = store.clock
        try await store.transaction("release \(lease) for \(holder)") { connection in
            try await Self.requireHeld(lease, by: holder, on: connection, now: clock.unixSeconds())
            try await connection.query(
                """
                UPDATE lease SET holder = NULL
                WHERE instance = \(lease.instance) AND epoch = \(PostgresNumber.stored(lease.epoch))
                """, logger: PostgresStore.quiet)
        }
    }

    /// The lease rows of the instances first elected most recently, at most `limit` (the status page's executors).
    public func records(limit: Int) async throws -> [LeaseRecord] {
        try await store.run("read the leases", retrying: true) { client in
            var records: [LeaseRecord] = []
            let rows = try await client.query(
                "SELECT instance, epoch, holder, expires_at FROM lease ORDER BY elected DESC LIMIT \(max(0, limit))")
            for try await (instance, epoch, holder, expiresAt) in rows.decode((String, Int64, String?, Int64).self) {
                records.append(Self.record(instance, epoch, holder, expiresAt))
            }
            return records
        }
    }

    private func elect(
        _ instance: String, candidate: String, seenEpoch: UInt64, overLiveLease: Bool
    ) async throws -> LeaseRecord {
        try LeaseRules.checkNames(instance: instance, candidate: candidate)
        try PostgresStore.checkStorable(instance, field: "instance")
        try PostgresStore.checkStorable(candidate, field: "candidate")
        let clock = store.clock
        let leaseSeconds = leaseSeconds
        return try await store.transaction("elect \(candidate) for instance \(instance)", retrying: true) {
            connection in
            let found = try await Self.row(
                instance, lock: " FOR UPDATE", on: { try await connection.query($0, logger: PostgresStore.quiet) })
            let granted = try LeaseRules.granted(
                instance, to: candidate, seenEpoch: seenEpoch, found: found, now: clock.unixSeconds(),
                leaseSeconds: leaseSeconds, overLiveLease: overLiveLease)
            let conflict = ElectionError.conflict(
                instance: instance, candidate: candidate, seenEpoch: seenEpoch, found: found)
            let newEpoch = PostgresNumber.stored(granted.lease.epoch)
            let expiresAt = PostgresNumber.stored(granted.expiresAt)
            let written: Int
            if found == nil {
                // Another transaction may have inserted the first row meanwhile (no row to lock yet): the
                // conflict clause makes that a lost race, not an error.
                written = try await
                    (try await connection.query(
                        """
                        INSERT INTO lease (instance, epoch, holder, expires_at)
                        VALUES (\(instance), \(newEpoch), \(candidate), \(expiresAt))
                        ON CONFLICT (instance) DO NOTHING RETURNING 1
                        """, logger: PostgresStore.quiet)).decode(Int.self).collectedRows().count
            } else {
                written = try await
                    (try await connection.query(
                        """
                        UPDATE lease SET epoch = \(newEpoch), holder = \(candidate), expires_at = \(expiresAt)
                        WHERE instance = \(instance) AND epoch = \(PostgresNumber.stored(seenEpoch)) RETURNING 1
                        """, logger: PostgresStore.quiet)).decode(Int.self).collectedRows().count
            }
            guard written == 1 else { throw conflict }
            return granted
        }
    }

    /// The row of `instance`, read with `lock` (`""`, `" FOR UPDATE"`) through `query` (a client's or a
    /// connection's).
    static func row(_ instance: String, lock: String, on query: PostgresQuerying) async throws -> LeaseRecord? {
        let rows = try await query(
            "SELECT epoch, holder, expires_at FROM lease WHERE instance = \(instance)\(unescaped: lock)")
        for try await (epoch, holder, expiresAt) in rows.decode((Int64, String?, Int64).self) {
            return record(instance, epoch, holder, expiresAt)
        }
        return nil
    }

    private static func record(_ instance: String, _ epoch: Int64, _ holder: String?, _ expiresAt: Int64)
        -> LeaseRecord
    {
        LeaseRecord(
            lease: ExecutorLease(instance: instance, epoch: PostgresNumber.loaded(epoch)), holder: holder,
            expiresAt: PostgresNumber.loaded(expiresAt))
    }

    /// Inside a transaction: the row locked `FOR UPDATE`, then `LeaseRules.requireHeld`.
    private static func requireHeld(
        _ lease: ExecutorLease, by holder: String, on connection: PostgresConnection, now: UInt64
    ) async throws {
        let found = try await row(
            lease.instance, lock: " FOR UPDATE", on: { try await connection.query($0, logger: PostgresStore.quiet) })
        try LeaseRules.requireHeld(lease, by: holder, found: found, now: now)
    }
}
