/// Placement for one process: the membership and pins in an actor.
public actor InMemoryPlacement: InstancePlacement {
    private var members: [String: ServiceNode] = [:]
    private var pins: [String: [String]] = [:]

    public init(nodes: [ServiceNode] = []) throws {
        for node in nodes {
            try Self.validate(node)
            members[node.id] = node
        }
    }

    public func register(_ node: ServiceNode) throws {
        try Self.validate(node)
        members[node.id] = node
    }

    public func remove(node id: String) {
        members[id] = nil
        for (instance, nodes) in pins {
            let kept = nodes.filter { $0 != id }
            pins[instance] = kept.isEmpty ? nil : kept
        }
    }

    public func nodes() -> [ServiceNode] { members.values.sorted { $0.id < $1.id } }

    public func pin(_ instance: String, to nodes: [String]) throws {
        if instance.isEmpty { throw PlacementError.emptyName(field: "instance") }
        var seen: Set<String> = []
        for node in nodes {
            guard members[node] != nil else { throw PlacementError.unknownNode(node) }
            guard seen.insert(node).inserted else { throw PlacementError.duplicateNode(node) }
        }
        pins[instance] = nodes.isEmpty ? nil : nodes
    }

    public func hostingNodes(for instance: String, replicas: Int) throws -> [ServiceNode] {
        try RendezvousRanking.hostingNodes(
            for: instance, replicas: replicas, nodes: nodes(), pinned: pins[instance] ?? [])
    }

    private static func validate(_ node: ServiceNode) throws {
        if node.id.isEmpty { throw PlacementError.emptyName(field: "node id") }
        guard (1...ServiceNode.maximumWeight).contains(node.weight) else {
            throw PlacementError.invalidWeight(node: node.id, weight: node.weight)
        }
    }
}
