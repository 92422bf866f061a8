import Foundation

/// The executor role for one token instance, with its fencing epoch.
///
/// Only the holder of the current lease runs that instance's effects. Every takeover raises the epoch,
/// so a paused or partitioned executor still holding an old lease is refused before it sends anything.
/// The epoch never enters the idempotency key: the new holder repeats the old holder's calls as the same calls.
public struct ExecutorLease: Sendable, Hashable, Codable, CustomStringConvertible {
    public var instance: String
    public var epoch: UInt64

    public init(instance: String, epoch: UInt64) {
        self.instance = instance
        self.epoch = epoch
    }

    public var description: String { "\(instance)@\(epoch)" }
}

/// Says which lease is current for an instance (a lease table, a consensus log, …).
public protocol LeaseAuthority: Sendable {
    /// The current lease of `instance`; nil when nobody holds it.
    func currentLease(of instance: String) async -> ExecutorLease?
}

/// An in-process lease table: `acquire` hands the role to a new holder with the next epoch.
public final class InMemoryLeaseAuthority: LeaseAuthority, @unchecked Sendable {
    private let lock = NSLock()
    private var leases: [String: ExecutorLease] = [:]

    public init() {}

    /// A new lease of `instance` whose epoch is one more than the last; older leases become stale.
    @discardableResult
    public func acquire(_ instance: String) -> ExecutorLease {
        lock.withLock {
            let lease = ExecutorLease(instance: instance, epoch: (leases[instance]?.epoch ?? 0) + 1)
            leases[instance] = lease
            return lease
        }
    }

    /// Drops the lease of `instance`: nobody may run its effects until the next `acquire`.
    public func release(_ instance: String) {
        _ = lock.withLock { leases.removeValue(forKey: instance) }
    }

    public func currentLease(of instance: String) async -> ExecutorLease? {
        lock.withLock { leases[instance] }
    }
}

/// Why the executor refused to run (or to go on running) an effect.
public enum EffectExecutionError: Error, Hashable, CustomStringConvertible {
    /// The presented lease is not the current one (fencing): nothing more is sent.
    case staleLease(presented: ExecutorLease, current: ExecutorLease?)
    /// The effect has anchor fallback but the executor has no anchoring node.
    case noAnchoringNode(effect: String)
    /// The task was cancelled between attempts.
    case cancelled

    public var description: String {
        switch self {
        case .staleLease(let presented, let current):
            let now = current.map { "the current lease is epoch \($0.epoch)" } ?? "nobody holds the lease now"
            return "refused: executor lease \(presented) for instance \(presented.instance) is stale (\(now)); "
                + "no request sent"
        case .noAnchoringNode(let effect):
            return "effect \(effect) falls back to an anchoring node, but none is configured"
        case .cancelled:
            return "effect execution cancelled"
        }
    }
}
