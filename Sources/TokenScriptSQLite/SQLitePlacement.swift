import GRDB
import TokenScriptCluster

/// Placement's stored part in SQLite: the registered service nodes and the explicit pins.
///
/// The hosting set itself is computed, never stored (`RendezvousRanking` over the nodes and pins read in
/// one snapshot), so every node that reads the same file computes the same hosts.
public final class SQLitePlacement: InstancePlacement {
    public let store: SQLiteStore

    public init(store: SQLiteStore) {
        self.store = store
    }

    public func register(_ node: ServiceNode) async throws {
        if node.id.isEmpty { throw PlacementError.emptyName(field: "node id") }
        guard (1...ServiceNode.maximumWeight).contains(node.weight) else {
            throw PlacementError.invalidWeight(node: node.id, weight: node.weight)
        }
        try await store.write("register node \(node.id)") { db in
            try db.execute(
                sql: """
                    INSERT INTO placement_node (id, weight) VALUES (?, ?)
                    ON CONFLICT (id) DO UPDATE SET weight = excluded.weight
                    """, arguments: [node.id, Int64(node.weight)])
        }
    }

    public func remove(node id: String) async throws {
        try await store.write("remove node \(id)") { db in
            try db.execute(sql: "DELETE FROM placement_node WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM placement_pin WHERE node = ?", arguments: [id])
        }
    }

    public func nodes() async throws -> [ServiceNode] {
        try await store.read("read the service nodes") { db in try Self.nodes(in: db) }
    }

    public func pin(_ instance: String, to nodes: [String]) async throws {
        if instance.isEmpty { throw PlacementError.emptyName(field: "instance") }
        try await store.write("pin instance \(instance)") { db in
            let registered = Set(try Self.nodes(in: db).map(\.id))
            var seen: Set<String> = []
            for node in nodes {
                guard registered.contains(node) else { throw PlacementError.unknownNode(node) }
                guard seen.insert(node).inserted else { throw PlacementError.duplicateNode(node) }
            }
            try db.execute(sql: "DELETE FROM placement_pin WHERE instance = ?", arguments: [instance])
            for (rank, node) in nodes.enumerated() {
                try db.execute(
                    sql: "INSERT INTO placement_pin (instance, rank, node) VALUES (?, ?, ?)",
                    arguments: [instance, rank, node])
            }
        }
    }

    /// The pinned nodes of `instance`, best first; empty when it is not pinned.
    public func pins(of instance: String) async throws -> [String] {
        try await store.read("read the pins of \(instance)") { db in try Self.pins(of: instance, in: db) }
    }

    public func hostingNodes(for instance: String, replicas: Int) async throws -> [ServiceNode] {
        let (nodes, pinned) = try await store.read("read placement of \(instance)") { db in
            (try Self.nodes(in: db), try Self.pins(of: instance, in: db))
        }
        return try RendezvousRanking.hostingNodes(for: instance, replicas: replicas, nodes: nodes, pinned: pinned)
    }

    private static func nodes(in db: Database) throws -> [ServiceNode] {
        try Row.fetchAll(db, sql: "SELECT id, weight FROM placement_node").map { row in
            let weight: Int64 = row["weight"]
            return ServiceNode(id: row["id"], weight: UInt32(clamping: weight))
        }.sorted { $0.id < $1.id }
    }

    private static func pins(of instance: String, in db: Database) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT node FROM placement_pin WHERE instance = ? ORDER BY rank", arguments: [instance])
    }
}
