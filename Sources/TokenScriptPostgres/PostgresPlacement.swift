import PostgresNIO
import TokenScriptCluster

/// Placement's stored part in PostgreSQL: the registered service nodes and the explicit pins.
///
/// The hosting set itself is computed, never stored (`RendezvousRanking` over the nodes and pins read in one
/// snapshot), so every anchor that reads the same database computes the same hosts.
public final class PostgresPlacement: InstancePlacement {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func register(_ node: ServiceNode) async throws {
        if node.id.isEmpty { throw PlacementError.emptyName(field: "node id") }
        try PostgresStore.checkStorable(node.id, field: "node id")
        guard (1...ServiceNode.maximumWeight).contains(node.weight) else {
            throw PlacementError.invalidWeight(node: node.id, weight: node.weight)
        }
        try await store.run("register node \(node.id)", retrying: true) { client in
            try await client.query(
                """
                INSERT INTO placement_node (id, weight) VALUES (\(node.id), \(Int64(node.weight)))
                ON CONFLICT (id) DO UPDATE SET weight = excluded.weight
                """, logger: PostgresStore.quiet)
        }
    }

    public func remove(node id: String) async throws {
        try PostgresStore.checkStorable(id, field: "node id")
        try await store.transaction("remove node \(id)", retrying: true) { connection in
            try await connection.query("DELETE FROM placement_node WHERE id = \(id)", logger: PostgresStore.quiet)
            try await connection.query("DELETE FROM placement_pin WHERE node = \(id)", logger: PostgresStore.quiet)
        }
    }

    public func nodes() async throws -> [ServiceNode] {
        try await store.run("read the service nodes", retrying: true) { client in
            try await Self.nodes(lock: "", on: { try await client.query($0, logger: PostgresStore.quiet) })
        }
    }

    public func pin(_ instance: String, to nodes: [String]) async throws {
        if instance.isEmpty { throw PlacementError.emptyName(field: "instance") }
        try PostgresStore.checkStorable(instance, field: "instance")
        try await store.transaction("pin instance \(instance)", retrying: true) { connection in
            // The nodes' rows locked: a node removed meanwhile waits, and then takes its pins with it.
            let registered = Set(
                try await Self.nodes(
                    lock: " FOR SHARE", on: { try await connection.query($0, logger: PostgresStore.quiet) }
                ).map(\.id))
            var seen: Set<String> = []
            for node in nodes {
                guard registered.contains(node) else { throw PlacementError.unknownNode(node) }
                guard seen.insert(node).inserted else { throw PlacementError.duplicateNode(node) }
            }
            try await connection.query(
                "DELETE FROM placement_pin WHERE instance = \(instance)", logger: PostgresStore.quiet)
            for (rank, node) in nodes.enumerated() {
                try await connection.query(
                    "INSERT INTO placement_pin (instance, rank, node) VALUES (\(instance), \(rank), \(node))",
                    logger: PostgresStore.quiet)
            }
        }
    }

    /// The pinned nodes of `instance`, best first; empty when it is not pinned.
    public func pins(of instance: String) async throws -> [String] {
        try PostgresStore.checkStorable(instance, field: "instance")
        return try await store.run("read the pins of \(instance)", retrying: true) { client in
            try await Self.pins(of: instance, on: { try await client.query($0, logger: PostgresStore.quiet) })
        }
    }

    public func hostingNodes(for instance: String, replicas: Int) async throws -> [ServiceNode] {
        try PostgresStore.checkStorable(instance, field: "instance")
        // One snapshot: REPEATABLE READ makes both reads see the same committed state.
        let (nodes, pinned) = try await store.transaction("read placement of \(instance)", retrying: true) {
            connection in
            try await connection.query(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: PostgresStore.quiet)
            let query: PostgresQuerying = { try await connection.query($0, logger: PostgresStore.quiet) }
            return (try await Self.nodes(lock: "", on: query), try await Self.pins(of: instance, on: query))
        }
        return try RendezvousRanking.hostingNodes(for: instance, replicas: replicas, nodes: nodes, pinned: pinned)
    }

    private static func nodes(lock: String, on query: PostgresQuerying) async throws -> [ServiceNode] {
        var nodes: [ServiceNode] = []
        for try await (id, weight) in try await query("SELECT id, weight FROM placement_node\(unescaped: lock)")
            .decode((String, Int64).self)
        {
            nodes.append(ServiceNode(id: id, weight: UInt32(clamping: weight)))
        }
        // By id, as the other stores list them.
        return nodes.sorted { $0.id < $1.id }
    }

    private static func pins(of instance: String, on query: PostgresQuerying) async throws -> [String] {
        try await (try await query("SELECT node FROM placement_pin WHERE instance = \(instance) ORDER BY rank"))
            .decode(String.self).collectedRows()
    }
}
