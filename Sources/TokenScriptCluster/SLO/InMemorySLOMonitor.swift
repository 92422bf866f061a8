/// The SLO monitor of one process: counters per node in an actor.
public actor InMemorySLOMonitor: SLOMonitor {
    private var records: [String: NodeRecord] = [:]

    public init() {}

    public func record(_ sample: NodeSample) throws {
        if sample.node.isEmpty { throw SLOMonitorError.emptyNode }
        records[sample.node] = (records[sample.node] ?? NodeRecord(node: sample.node)).adding(sample)
    }

    public func record(of node: String) -> NodeRecord? { records[node] }
}
