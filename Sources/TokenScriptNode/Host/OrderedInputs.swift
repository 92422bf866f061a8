import TokenScriptCluster

/// One input of an instance by where it is in the log: its topic (as bytes: two canonically equal spellings
/// are two topics, as in the log) and its position there.
struct OrderKey: Sendable, Hashable {
    let topic: ExactText
    let position: UInt64

    init(topic: String, position: UInt64) {
        self.topic = ExactText(topic)
        self.position = position
    }
}

/// A set of an instance's inputs by topic and position (the ones in `order/<id>`, or the ones this node left
/// in `inbox/<id>`), with the highest position of each topic: where following a topic again starts.
struct OrderedInputs: Sendable {
    private var positions: [ExactText: Set<UInt64>] = [:]

    var isEmpty: Bool { positions.isEmpty }

    func contains(_ key: OrderKey) -> Bool { positions[key.topic]?.contains(key.position) ?? false }

    mutating func insert(_ key: OrderKey) { positions[key.topic, default: []].insert(key.position) }

    mutating func remove(_ key: OrderKey) {
        positions[key.topic]?.remove(key.position)
        if positions[key.topic]?.isEmpty == true { positions[key.topic] = nil }
    }

    mutating func formUnion(_ other: OrderedInputs) {
        for (topic, more) in other.positions { positions[topic, default: []].formUnion(more) }
    }

    /// The highest position of `topic` in the set; nil when none is.
    func highest(of topic: ExactText) -> UInt64? { positions[topic]?.max() }
}
