/// Collects what each service node was seen to do, and where it stands against its objective, so election and
/// placement can prefer nodes that keep their promise. The record is durable in a database: the payment layer
/// will pay on it.
///
/// A store keeps per-node counters and events per minute (`EventSeries`), each event classified good or bad
/// against the objective in force when it is recorded; reading a record or a standing never needs the raw
/// samples. Minutes older than the node's period (and than the rules' longest window) may be forgotten.
public protocol SLOMonitor: Sendable {
    /// Counts `sample` into its node's record and its minute.
    /// - Throws: `SLOMonitorError.emptyNode` for a sample without a node; nothing is recorded then.
    func record(_ sample: NodeSample) async throws
    /// Counts every sample of a batch (a node's report, an anchor's round of probes) at once: all or, when one
    /// has no node, none.
    /// - Throws: `SLOMonitorError.emptyNode`; nothing of the batch is recorded then.
    func record(_ samples: [NodeSample]) async throws
    /// The node's counters; nil when nothing was recorded for it.
    func record(of node: String) async throws -> NodeRecord?
    /// Sets the objective `node` is held to from now on (events already counted keep their classification).
    /// - Throws: `SLOMonitorError.emptyNode` for an empty node.
    func setObjective(_ objective: ServiceObjective, for node: String) async throws
    /// The node's objective: `ServiceObjective.standard` until one is set.
    func objective(of node: String) async throws -> ServiceObjective
    /// Where `node` stands at `time` under `rules`; nil when nothing was recorded for it.
    func standing(of node: String, at time: UInt64, rules: [BurnRateRule]) async throws -> SLOStanding?
}

/// Why the SLO monitor refused a sample or an objective.
public enum SLOMonitorError: Error, Hashable, CustomStringConvertible {
    case emptyNode
    case invalidObjective(field: String, reason: String)

    public var description: String {
        switch self {
        case .emptyNode: return "SLO sample refused: the node is empty"
        case .invalidObjective(let field, let reason): return "service objective refused: \(field) \(reason)"
        }
    }
}
