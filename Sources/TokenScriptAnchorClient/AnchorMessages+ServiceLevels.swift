import TokenScriptCluster

extension AnchorMessages {
    /// `GET /v1/service-levels`: every member's objective, counters and standing at the anchor's last sweep.
    public struct ServiceLevels: Codable, Sendable {
        public var status = "ok"
        public var nodes: [ServiceLevel]
        /// The burn-rate rules the standings are evaluated under.
        public var rules: [BurnRateRule]
        /// The anchor's last failure to record an observation or evaluate a standing; nil when none.
        public var lastFailure: String?

        public init(nodes: [ServiceLevel], rules: [BurnRateRule], lastFailure: String?) {
            self.nodes = nodes
            self.rules = rules
            self.lastFailure = lastFailure
        }
    }

    /// One member's service level.
    public struct ServiceLevel: Codable, Sendable {
        public var node: String
        public var objective: ServiceObjective
        /// Counters since the first observation; nil before it.
        public var record: NodeRecord?
        /// The standing at the last sweep; nil before it.
        public var standing: SLOStanding?
        /// The weight the anchor places the node with (its capacity lowered by the standing).
        public var weight: UInt32

        public init(
            node: String, objective: ServiceObjective, record: NodeRecord?, standing: SLOStanding?, weight: UInt32
        ) {
            self.node = node
            self.objective = objective
            self.record = record
            self.standing = standing
            self.weight = weight
        }
    }
}
