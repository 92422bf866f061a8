/// A write or a renewal presented a lease that is no longer the instance's current one (fencing).
///
/// Thrown by every guarded write of the cluster stores and by `renew`/`release`; nothing was written.
/// The holder of a stale lease must stop: someone else runs the instance now, or nobody may until the
/// next election.
public struct StaleLeaseError: Error, Hashable, CustomStringConvertible {
    public var presented: ExecutorLease
    /// The live lease at the time of the refusal; nil when nobody holds one (released or expired).
    public var current: ExecutorLease?

    public init(presented: ExecutorLease, current: ExecutorLease?) {
        self.presented = presented
        self.current = current
    }

    public var description: String {
        let now = current.map { "the current lease is epoch \($0.epoch)" } ?? "nobody holds the lease now"
        return "refused: executor lease \(presented) for instance \(presented.instance) is stale (\(now)); "
            + "no request sent"
    }
}
