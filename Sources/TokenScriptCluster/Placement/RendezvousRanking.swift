import Crypto

/// Weighted rendezvous (highest-random-weight) hashing: every node ranks the same nodes for an instance
/// the same way, from the membership alone, with nothing stored.
///
/// A node of weight `w` draws `w` scores, `hash(instance, node, draw)`, and keeps the highest; nodes are
/// ranked by that score. The top of `w_a + w_b + …` independent draws is equally likely to be any of
/// them, so a node comes first for a share `w / Σw` of the instances, with integer arithmetic only (no
/// logarithm, so every platform computes the same ranking). Removing a node moves only the instances it
/// ranked among their hosts; adding one only those it now ranks among them. The hash is SHA-256 (never Swift's
/// per-process seeded `Hasher`), so every node and every run computes the same ranking; it spreads load but is
/// not meant to resist someone choosing instance ids to land on one node — pins are for that.
public enum RendezvousRanking {
    /// `nodes` best first for `instance`; ties (equal scores) are broken by node id.
    public static func rank(_ instance: String, over nodes: [ServiceNode]) -> [ServiceNode] {
        let scored = nodes.map { node in (node: node, score: score(instance, node)) }
        return scored.sorted { left, right in
            left.score != right.score ? left.score > right.score : left.node.id < right.node.id
        }.map(\.node)
    }

    /// The hosting set from a membership and a pin list, what every `InstancePlacement` returns: the pinned
    /// nodes that are registered, in pinned order, then the others in rendezvous order; at most `replicas`.
    public static func hostingNodes(
        for instance: String, replicas: Int, nodes: [ServiceNode], pinned: [String]
    ) throws(PlacementError) -> [ServiceNode] {
        if instance.isEmpty { throw .emptyName(field: "instance") }
        guard replicas >= 1 else { throw .invalidReplicaCount(replicas) }
        let byID = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let pinnedNodes = pinned.compactMap { byID[$0] }
        let rest = rank(instance, over: nodes.filter { !pinned.contains($0.id) })
        return Array((pinnedNodes + rest).prefix(replicas))
    }

    /// The node's best draw for `instance`.
    public static func score(_ instance: String, _ node: ServiceNode) -> UInt64 {
        var best: UInt64 = 0
        for draw in 0..<max(1, min(node.weight, ServiceNode.maximumWeight)) {
            best = max(best, hash(instance, node.id, draw))
        }
        return best
    }

    /// The first 8 bytes (big-endian) of SHA-256 over `instance`, 0, `node`, 0 and `draw` (4 bytes,
    /// little-endian), all UTF-8.
    public static func hash(_ instance: String, _ node: String, _ draw: UInt32) -> UInt64 {
        var bytes = Array(instance.utf8)
        bytes.append(0)
        bytes.append(contentsOf: node.utf8)
        bytes.append(0)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: draw >> UInt32(shift))) }
        return SHA256.hash(data: bytes).prefix(8).reduce(0) { ($0 << 8) | UInt64($1) }
    }
}
