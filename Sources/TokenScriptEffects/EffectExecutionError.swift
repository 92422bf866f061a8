import TokenScriptCluster

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
            return StaleLeaseError(presented: presented, current: current).description
        case .noAnchoringNode(let effect):
            return "effect \(effect) falls back to an anchoring node, but none is configured"
        case .cancelled:
            return "effect execution cancelled"
        }
    }
}
