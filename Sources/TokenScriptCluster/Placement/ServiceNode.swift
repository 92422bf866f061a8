/// A service node that can host token instances, with its share of them.
public struct ServiceNode: Sendable, Hashable, CustomStringConvertible {
    /// The most a node may weigh: placement scores `weight` hashes per node, so this caps its cost.
    public static let maximumWeight: UInt32 = 1_000

    /// Unique among the nodes; what placement hashes and returns.
    public var id: String
    /// Relative capacity, 1…`maximumWeight`: a node of weight 2 hosts about twice what one of weight 1 does.
    public var weight: UInt32

    public init(id: String, weight: UInt32 = 1) {
        self.id = id
        self.weight = weight
    }

    public var description: String { weight == 1 ? id : "\(id) (weight \(weight))" }
}
