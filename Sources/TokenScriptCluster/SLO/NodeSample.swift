/// One observation of a service node, as the SLO monitor records it.
public struct NodeSample: Sendable, Hashable {
    /// What was observed.
    public enum Observation: Sendable, Hashable {
        /// A health probe or heartbeat answered (`up`) or not.
        case availability(up: Bool)
        /// A call the node served, how long it took and whether it failed (an error or a timeout).
        case call(latencyMilliseconds: UInt64, failed: Bool)
        /// The node was chosen to run (or route) a call for `instance`.
        case routing(instance: String)
        /// The node reported a state hash for `instance` that other hosts did not.
        case mismatch(instance: String)
    }

    public var node: String
    /// Engine-clock seconds (`EngineClock.unixSeconds`) of the observation.
    public var time: UInt64
    public var observation: Observation

    public init(node: String, time: UInt64, observation: Observation) {
        self.node = node
        self.time = time
        self.observation = observation
    }

    /// Whether the observation spends the node's error budget: a probe unanswered, a call failed or slower
    /// than the objective allows, a call an anchor had to route for it, a state hash other hosts disagree with.
    public func isBad(under objective: ServiceObjective) -> Bool {
        switch observation {
        case .availability(let up): return !up
        case .call(let latency, let failed): return failed || latency > objective.latencyMilliseconds
        case .routing, .mismatch: return true
        }
    }
}
