/// Why an election step (acquire, take over) changed nothing.
public enum ElectionError: Error, Hashable, CustomStringConvertible {
    /// The compare-and-swap lost: the row is not at `seenEpoch` any more, or someone holds a live lease.
    /// Another candidate got there first; read the record again before trying again.
    case conflict(instance: String, candidate: String, seenEpoch: UInt64, found: LeaseRecord?)
    /// An instance or node name was empty: no row can be keyed by it.
    case emptyName(field: String)

    public var description: String {
        switch self {
        case .conflict(let instance, let candidate, let seenEpoch, let found):
            let now = found.map { "found \($0)" } ?? "found no lease row"
            return "election of \(candidate) for instance \(instance) lost: expected epoch \(seenEpoch) "
                + "with no live holder, \(now); nothing changed"
        case .emptyName(let field):
            return "election refused: \(field) is empty; nothing changed"
        }
    }
}
