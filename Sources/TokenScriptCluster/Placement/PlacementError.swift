/// Why a placement change or question was refused; a refused change changes nothing.
public enum PlacementError: Error, Hashable, CustomStringConvertible {
    /// A node id or an instance id was empty.
    case emptyName(field: String)
    /// A weight outside 1…`ServiceNode.maximumWeight`.
    case invalidWeight(node: String, weight: UInt32)
    /// A pin names a node that is not registered.
    case unknownNode(String)
    /// A pin names the same node twice.
    case duplicateNode(String)
    /// Fewer than one replica asked for.
    case invalidReplicaCount(Int)

    public var description: String {
        switch self {
        case .emptyName(let field): "placement refused: \(field) is empty"
        case .invalidWeight(let node, let weight):
            "placement refused: node \(node) has weight \(weight), outside 1…\(ServiceNode.maximumWeight)"
        case .unknownNode(let node): "placement refused: node \(node) is not registered"
        case .duplicateNode(let node): "placement refused: node \(node) is pinned twice"
        case .invalidReplicaCount(let count): "placement refused: \(count) replicas asked for; at least 1"
        }
    }
}
