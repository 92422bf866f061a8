/// The SLO monitor of one process: counters and events per minute per node, in an actor.
public actor InMemorySLOMonitor: SLOMonitor {
    private var records: [String: NodeRecord] = [:]
    private var series: [String: EventSeries] = [:]
    private var objectives: [String: ServiceObjective] = [:]

    public init() {}

    public func record(_ samples: [NodeSample]) throws {
        if samples.contains(where: \.node.isEmpty) { throw SLOMonitorError.emptyNode }
        for sample in samples { count(sample) }
    }

    public func record(_ sample: NodeSample) throws {
        if sample.node.isEmpty { throw SLOMonitorError.emptyNode }
        count(sample)
    }

    private func count(_ sample: NodeSample) {
        let objective = objective(of: sample.node)
        records[sample.node] = (records[sample.node] ?? NodeRecord(node: sample.node)).adding(sample)
        var events = series[sample.node] ?? EventSeries()
        events.record(bad: sample.isBad(under: objective), at: sample.time)
        // Forgotten in steps of a tenth of what is kept, so the filter runs rarely.
        let kept = SLOMonitorRetention.minutes(objective: objective)
        if UInt64(events.minutes.count) > kept + kept / 10, let newest = events.minutes.keys.max() {
            events.forget(before: newest - min(newest, kept))
        }
        series[sample.node] = events
    }

    public func record(of node: String) -> NodeRecord? { records[node] }

    public func setObjective(_ objective: ServiceObjective, for node: String) throws {
        if node.isEmpty { throw SLOMonitorError.emptyNode }
        objectives[node] = objective
    }

    public func objective(of node: String) -> ServiceObjective { objectives[node] ?? .standard }

    public func standing(of node: String, at time: UInt64, rules: [BurnRateRule]) -> SLOStanding? {
        guard records[node] != nil else { return nil }
        return SLOStanding(
            node: node, time: time, objective: objective(of: node), rules: rules, series: series[node] ?? EventSeries())
    }
}
