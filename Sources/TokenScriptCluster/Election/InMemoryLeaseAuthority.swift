import Synchronization
import TokenScriptArithmetic
import TokenScriptEngine

/// The lease table of one process: `ExecutorElection` over a dictionary behind a lock.
///
/// Every operation is atomic under one lock, and `fenced(by:_:)` runs a store's write under that same
/// lock: the in-memory stores use it to check the epoch in the same "transaction" as their write, as a
/// database does. Expiry is read from the injected `EngineClock`; with the default clock, which stands
/// still, leases never lapse (a single node that nobody else could take over from).
public final class InMemoryLeaseAuthority: ExecutorElection {
    /// The holder named by the single-node `acquire(_:)`.
    public static let localHolder = "local"

    /// Seconds a lease holds after `acquire`, `takeOver` or `renew`.
    public let leaseSeconds: UInt64
    private let clock: any EngineClock
    private let rows = Mutex<[String: LeaseRecord]>([:])

    public init(clock: any EngineClock = FixedEngineClock(0), leaseSeconds: UInt64 = 30) {
        self.clock = clock
        self.leaseSeconds = leaseSeconds
    }

    /// Hands the role to this process unconditionally, with the next epoch; older leases become stale.
    ///
    /// A takeover at whatever epoch is current: for a single node and for tests that stage a takeover.
    @discardableResult
    public func acquire(_ instance: String) -> ExecutorLease {
        let now = clock.unixSeconds()
        return rows.withLock { rows in
            let lease = ExecutorLease(instance: instance, epoch: (rows[instance]?.lease.epoch ?? 0) + 1)
            rows[instance] = LeaseRules.held(lease, by: Self.localHolder, now: now, leaseSeconds: leaseSeconds)
            return lease
        }
    }

    /// Drops whoever holds the lease of `instance`: nobody may run its effects until the next election.
    /// The epoch stays, so the next lease is newer than every earlier one.
    public func release(_ instance: String) {
        rows.withLock { rows in rows[instance]?.holder = nil }
    }

    public func currentLease(of instance: String) async -> ExecutorLease? {
        let now = clock.unixSeconds()
        return rows.withLock { rows in rows[instance].flatMap { $0.isLive(at: now) ? $0.lease : nil } }
    }

    public func record(of instance: String) async throws -> LeaseRecord? {
        rows.withLock { rows in rows[instance] }
    }

    public func acquire(_ instance: String, for candidate: String, seenEpoch: UInt64) async throws -> LeaseRecord {
        try elect(instance, candidate: candidate, seenEpoch: seenEpoch, overLiveLease: false)
    }

    public func takeOver(_ instance: String, for candidate: String, seenEpoch: UInt64) async throws -> LeaseRecord {
        try elect(instance, candidate: candidate, seenEpoch: seenEpoch, overLiveLease: true)
    }

    public func renew(_ lease: ExecutorLease, for holder: String) async throws -> LeaseRecord {
        let now = clock.unixSeconds()
        return try rows.withLock { rows throws(StaleLeaseError) in
            try LeaseRules.requireHeld(lease, by: holder, found: rows[lease.instance], now: now)
            let renewed = LeaseRules.held(lease, by: holder, now: now, leaseSeconds: leaseSeconds)
            rows[lease.instance] = renewed
            return renewed
        }
    }

    public func release(_ lease: ExecutorLease, for holder: String) async throws {
        let now = clock.unixSeconds()
        try rows.withLock { rows throws(StaleLeaseError) in
            try LeaseRules.requireHeld(lease, by: holder, found: rows[lease.instance], now: now)
            rows[lease.instance]?.holder = nil
        }
    }

    /// Runs `write` only while `lease` is live, under the table's lock, so no election can come between
    /// the check and the write; with no lease, runs it unguarded.
    /// - Throws: `StaleLeaseError` (and nothing is written), or what `write` throws.
    public func fenced<Result: Sendable>(by lease: ExecutorLease?, _ write: () throws -> Result) throws -> Result {
        guard let lease else { return try write() }
        let now = clock.unixSeconds()
        return try rows.withLock { rows in
            let current = rows[lease.instance].flatMap { $0.isLive(at: now) ? $0.lease : nil }
            guard current == lease else { throw StaleLeaseError(presented: lease, current: current) }
            return try write()
        }
    }

    private func elect(
        _ instance: String, candidate: String, seenEpoch: UInt64, overLiveLease: Bool
    ) throws -> LeaseRecord {
        try LeaseRules.checkNames(instance: instance, candidate: candidate)
        let now = clock.unixSeconds()
        let leaseSeconds = leaseSeconds
        return try rows.withLock { rows throws(ElectionError) in
            let granted = try LeaseRules.granted(
                instance, to: candidate, seenEpoch: seenEpoch, found: rows[instance], now: now,
                leaseSeconds: leaseSeconds, overLiveLease: overLiveLease)
            rows[instance] = granted
            return granted
        }
    }
}
