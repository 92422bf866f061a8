/// Collects what each service node was seen to do, so election and placement can prefer healthy nodes.
///
/// A store aggregates samples into per-node counters (per minute, in a database); reading a record never
/// needs the raw samples.
public protocol SLOMonitor: Sendable {
    /// Counts `sample` into its node's record.
    /// - Throws: `SLOMonitorError.emptyNode` for a sample without a node; nothing is recorded then.
    func record(_ sample: NodeSample) async throws
    /// The node's counters; nil when nothing was recorded for it.
    func record(of node: String) async throws -> NodeRecord?
}

/// Why the SLO monitor refused a sample.
public enum SLOMonitorError: Error, Hashable, CustomStringConvertible {
    case emptyNode

    public var description: String { "SLO sample refused: the node is empty" }
}
