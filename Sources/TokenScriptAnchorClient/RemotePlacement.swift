import TokenScriptCluster

/// Placement as a node reaches it on the anchor: membership (this node registers and heartbeats itself),
/// pins, and the hosting set the anchor computes by rendezvous over the healthy nodes.
///
/// An `InstancePlacement` whose `register` and `remove` act on this node only: a node registers with the key
/// that signs the request, so it cannot register or remove another.
public struct RemotePlacement: InstancePlacement {
    public let connection: AnchorConnection
    /// This node's own URL, registered with it for routing.
    public let url: String

    public init(connection: AnchorConnection, url: String) {
        self.connection = connection
        self.url = url
    }

    public var node: String { connection.signer.name }

    /// Registers this node (`node.id` must be its name) with `node.weight` as capacity and its key.
    /// - Throws: `PlacementError` for an empty id or a weight out of range (checked here and by the anchor).
    public func register(_ node: ServiceNode) async throws {
        if node.id.isEmpty { throw PlacementError.emptyName(field: "node id") }
        guard (1...ServiceNode.maximumWeight).contains(node.weight) else {
            throw PlacementError.invalidWeight(node: node.id, weight: node.weight)
        }
        try requireSelf(node.id)
        let registration = AnchorMessages.Registration(
            name: node.id, url: url, key: connection.signer.issuer.key, capacity: node.weight)
        _ = try await connection.send(.POST, "/v1/nodes", body: registration, as: AnchorMessages.MemberAnswer.self)
    }

    /// Registers this node with `capacity`: what a node does at start, before its first heartbeat.
    public func register(capacity: UInt32 = 1) async throws {
        try await register(ServiceNode(id: node, weight: capacity))
    }

    /// Tells the anchor this node is alive; the anchor counts it healthy for `--node-timeout` from now.
    public func heartbeat() async throws {
        _ = try await connection.send(
            .POST, "/v1/nodes/\(AnchorConnection.segment(node))/heartbeat", as: AnchorMessages.MemberAnswer.self)
    }

    /// Deregisters this node (a node leaving for good); its pins are dropped.
    public func remove(node id: String) async throws {
        try requireSelf(id)
        _ = try await connection.send(
            .DELETE, "/v1/nodes/\(AnchorConnection.segment(id))", as: AnchorMessages.MemberAnswer.self)
    }

    /// Every registered node, healthy or not.
    public func nodes() async throws -> [ServiceNode] {
        try await members().map { ServiceNode(id: $0.name, weight: $0.capacity) }
    }

    /// The registered nodes with URL, key, last heartbeat and health.
    public func members() async throws -> [AnchorMessages.Member] { try await membership().nodes }

    /// The member list with the anchor's replica count: what a node polls to follow placement.
    public func membership() async throws -> AnchorMessages.Members {
        try await connection.send(.GET, "/v1/nodes", as: AnchorMessages.Members.self)
    }

    /// Pins `instance` to `nodes` (an empty list unpins); the anchor lets only its operators do it.
    public func pin(_ instance: String, to nodes: [String]) async throws {
        _ = try await pinned(instance, to: nodes)
    }

    /// Pins as `pin` does and returns the instance's hosts after the change, pinned ones first.
    public func pinned(_ instance: String, to nodes: [String]) async throws -> [AnchorMessages.Host] {
        let target = "/v1/placement/\(AnchorConnection.segment(instance))/pins"
        return try await connection.send(
            .PUT, target, body: AnchorMessages.Pins(nodes: nodes), as: AnchorMessages.Hosts.self
        ).hosts
    }

    /// The best `replicas` healthy hosts, pinned ones first.
    public func hostingNodes(for instance: String, replicas: Int) async throws -> [ServiceNode] {
        let target = "/v1/placement/\(AnchorConnection.segment(instance))?replicas=\(replicas)"
        return try await connection.send(.GET, target, as: AnchorMessages.Hosts.self).hosts.map(\.node)
    }

    private func requireSelf(_ id: String) throws {
        guard id == node else {
            throw AnchorClientError(
                status: 0, code: "not-this-node", message: "node \(node) cannot register or remove \(id)",
                field: "name")
        }
    }
}
