/// Elects the one executor of each token instance, with leases that expire and epochs that fence.
///
/// Every operation is a compare-and-swap on the instance's row, `(instance, epoch)`, so a transactional
/// store implements each as one conditional `UPDATE … WHERE instance = $1 AND epoch = $2` and learns from
/// the row count whether it won. The epoch is the fencing token: the stores that take an
/// `ExecutorLease` (the attestation log, the instance store) check it against this table in the same
/// transaction as the write it guards, so a takeover committed before the write fences it and one
/// committed after it waits for it. Lease expiry is read from the implementation's clock (the store's own
/// clock in a database; an injected `EngineClock` in memory), never from the caller's.
///
/// Rules every implementation keeps (checked by `ElectionConformance`, TokenScriptClusterConformance):
/// - epochs only grow: each successful `acquire` or `takeOver` writes `seenEpoch + 1`; release and expiry
///   keep the epoch;
/// - a losing candidate changes nothing (`ElectionError.conflict`);
/// - `renew` and `release` need the exact current lease and holder, live (`StaleLeaseError` otherwise).
public protocol ExecutorElection: LeaseAuthority {
    /// The instance's row, live or not; nil when no lease was ever handed out for it.
    func record(of instance: String) async throws -> LeaseRecord?

    /// Makes `candidate` the holder with epoch `seenEpoch + 1`, if the row is still at `seenEpoch`
    /// (0: no row yet) and nobody holds a live lease.
    /// - Throws: `ElectionError.conflict` when another candidate got there first.
    func acquire(_ instance: String, for candidate: String, seenEpoch: UInt64) async throws -> LeaseRecord

    /// Like `acquire`, but also when the lease at `seenEpoch` is still live: an anchor fences an executor
    /// that keeps failing and routes the call itself.
    func takeOver(_ instance: String, for candidate: String, seenEpoch: UInt64) async throws -> LeaseRecord

    /// Extends the live `lease` held by `holder` by the lease term from now; the epoch stays.
    /// - Throws: `StaleLeaseError` when the lease moved on, expired or is held by someone else.
    func renew(_ lease: ExecutorLease, for holder: String) async throws -> LeaseRecord

    /// Gives the live `lease` up at once (a graceful shutdown); the epoch stays for the next election.
    /// - Throws: `StaleLeaseError` as `renew`.
    func release(_ lease: ExecutorLease, for holder: String) async throws
}
