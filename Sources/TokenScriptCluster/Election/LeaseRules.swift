import TokenScriptArithmetic

/// The election's rules, shared by every `ExecutorElection` (in memory, SQLite, PostgreSQL): each reads the
/// instance's row in its own atomic step (a lock, a transaction) and asks these what may be written, so the
/// implementations differ only in how they read and write the row.
public enum LeaseRules {
    /// Refuses an empty instance or candidate name.
    public static func checkNames(instance: String, candidate: String) throws(ElectionError) {
        if instance.isEmpty { throw .emptyName(field: "instance") }
        if candidate.isEmpty { throw .emptyName(field: "candidate") }
    }

    /// The record `candidate` is granted over the row `found` (nil: none yet): epoch `seenEpoch + 1`, the lease
    /// term from `now`. Only when the row is still at `seenEpoch`, its epoch can grow, and, unless
    /// `overLiveLease` (a takeover), nobody holds it live.
    /// - Throws: `ElectionError.conflict` reporting what was found; nothing may be written then.
    public static func granted(
        _ instance: String, to candidate: String, seenEpoch: UInt64, found: LeaseRecord?, now: UInt64,
        leaseSeconds: UInt64, overLiveLease: Bool
    ) throws(ElectionError) -> LeaseRecord {
        let epoch = found?.lease.epoch ?? 0
        let blocked = !overLiveLease && found?.isLive(at: now) == true
        guard epoch == seenEpoch, !blocked, epoch < UInt64.max else {
            throw .conflict(instance: instance, candidate: candidate, seenEpoch: seenEpoch, found: found)
        }
        return LeaseRecord(
            lease: ExecutorLease(instance: instance, epoch: epoch + 1), holder: candidate,
            expiresAt: now.saturatingAdding(leaseSeconds))
    }

    /// The record of `lease` held by `holder` for the lease term from `now` (a renewal, a local acquisition).
    public static func held(_ lease: ExecutorLease, by holder: String, now: UInt64, leaseSeconds: UInt64)
        -> LeaseRecord
    {
        LeaseRecord(lease: lease, holder: holder, expiresAt: now.saturatingAdding(leaseSeconds))
    }

    /// Throws unless the row `found` is `lease`, held by `holder`, live at `now` (a renewal, a release).
    public static func requireHeld(_ lease: ExecutorLease, by holder: String, found: LeaseRecord?, now: UInt64)
        throws(StaleLeaseError)
    {
        guard let found, found.lease == lease, found.holder == holder, found.isLive(at: now) else {
            throw StaleLeaseError(presented: lease, current: found.flatMap { $0.isLive(at: now) ? $0.lease : nil })
        }
    }

    /// Throws unless `lease` is the live lease of the row `found` at `now`: the fence a store checks inside the
    /// write it guards. No lease: nothing to check.
    public static func checkFence(_ lease: ExecutorLease?, found: LeaseRecord?, now: UInt64) throws(StaleLeaseError) {
        guard let lease else { return }
        let current = found.flatMap { $0.isLive(at: now) ? $0.lease : nil }
        guard current == lease else { throw StaleLeaseError(presented: lease, current: current) }
    }
}
