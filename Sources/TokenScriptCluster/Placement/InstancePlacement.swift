/// Which service nodes host a token instance: the membership, the pins, and the ranking over them.
///
/// Default placement is computed (`RendezvousRanking` over the registered nodes), not stored: a store
/// keeps only the membership and the exceptions (pins), and every node that reads them computes the same
/// hosting set. Pinned nodes come first, in their pinned order; the other nodes follow in rendezvous order.
public protocol InstancePlacement: Sendable {
    /// Adds `node`, or replaces the node with its id (a new weight).
    /// - Throws: `PlacementError` for an empty id or a weight out of range.
    func register(_ node: ServiceNode) async throws
    /// Removes the node with `id` (and drops it from every pin); unknown ids change nothing.
    func remove(node id: String) async throws
    /// The registered nodes, by id.
    func nodes() async throws -> [ServiceNode]
    /// Makes `nodes` (registered, distinct, best first) the first hosts of `instance`; an empty list unpins.
    func pin(_ instance: String, to nodes: [String]) async throws
    /// The `replicas` best hosts of `instance` (fewer when fewer nodes are registered), best first.
    func hostingNodes(for instance: String, replicas: Int) async throws -> [ServiceNode]
}
