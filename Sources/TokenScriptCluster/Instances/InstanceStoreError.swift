/// Why the instance store refused a write; a refused write changes nothing.
public enum InstanceStoreError: Error, Hashable, CustomStringConvertible {
    case emptyName(field: String)
    /// `create` of an id that is stored already.
    case exists(instance: String)
    /// `replace` of an id that is not stored.
    case notFound(instance: String)
    /// The compare-and-set lost: the stored step is not the one the writer read.
    case stepMismatch(instance: String, expected: UInt64, stored: UInt64)
    /// A replacement must have a higher step than the one it replaces.
    case stepNotAdvancing(instance: String, from: UInt64, to: UInt64)
    /// An instance keeps its definition for life.
    case definitionChanged(instance: String, stored: String, presented: String)
    /// The fencing lease is for another instance.
    case leaseForOtherInstance(instance: String, lease: ExecutorLease)
    /// An instance to store is not in its stored form (its canonical JSON or journal header does not read).
    case unreadable(instance: String, reason: String)

    public var description: String {
        switch self {
        case .emptyName(let field): "instance store refused: \(field) is empty"
        case .exists(let instance): "instance store refused: instance \(instance) exists already"
        case .notFound(let instance): "instance store refused: no instance \(instance)"
        case .stepMismatch(let instance, let expected, let stored):
            "instance store refused: instance \(instance) is at step \(stored), not \(expected); someone wrote first"
        case .stepNotAdvancing(let instance, let from, let to):
            "instance store refused: instance \(instance) would go from step \(from) to step \(to); steps only grow"
        case .definitionChanged(let instance, let stored, let presented):
            "instance store refused: instance \(instance) is of \(stored), not \(presented)"
        case .leaseForOtherInstance(let instance, let lease):
            "instance store refused: lease \(lease) does not fence instance \(instance)"
        case .unreadable(let instance, let reason):
            "instance store refused: instance \(instance) is not in its stored form: \(reason)"
        }
    }
}
