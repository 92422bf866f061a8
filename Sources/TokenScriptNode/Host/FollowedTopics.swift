import TokenScriptCluster

/// Network only: the exact log topics a node follows for its hosted instances (the union of their
/// subscriptions), and for each instance on each topic the next position that counts for it.
///
/// The node reads each topic once, by position, from the lowest of its instances' next positions; an entry
/// counts for an instance from that instance's position on, so instances that started following a topic at
/// different times share one reader and none is handed an entry from before its start. Topics are bytes
/// (`ExactText`), as the log keys them.
struct FollowedTopics: Sendable {
    private var next: [ExactText: [ExactText: UInt64]] = [:]
    private var byInstance: [ExactText: Set<ExactText>] = [:]

    /// The topics `instance` is followed on.
    func topics(of instance: String) -> Set<ExactText> { byInstance[ExactText(instance)] ?? [] }

    /// Every topic followed for some instance.
    var allTopics: Set<ExactText> { Set(next.keys) }

    /// Follows `topic` for `instance` from `position` on; an instance already following it keeps its position.
    mutating func add(instance: String, topic: ExactText, from position: UInt64) {
        let id = ExactText(instance)
        guard next[topic]?[id] == nil else { return }
        next[topic, default: [:]][id] = max(position, 1)
        byInstance[id, default: []].insert(topic)
    }

    /// Stops following `topic` for `instance`; true when no instance follows it any more.
    @discardableResult
    mutating func remove(instance: String, topic: ExactText) -> Bool {
        let id = ExactText(instance)
        next[topic]?[id] = nil
        byInstance[id]?.remove(topic)
        if byInstance[id]?.isEmpty == true { byInstance[id] = nil }
        guard next[topic]?.isEmpty != false else { return false }
        next[topic] = nil
        return true
    }

    /// The next position of `topic` that counts for `instance`; nil when it does not follow it.
    func next(of topic: ExactText, for instance: String) -> UInt64? { next[topic]?[ExactText(instance)] }

    /// The lowest next position of `topic` over its instances: where its reader must start. Nil when unfollowed.
    func start(of topic: ExactText) -> UInt64? { next[topic]?.values.min() }

    /// The instances for which the entry at `position` of `topic` counts (not yet passed), bytewise by id.
    func instances(counting position: UInt64, of topic: ExactText) -> [String] {
        (next[topic] ?? [:]).filter { $0.value <= position }.keys.sorted().map(\.description)
    }

    /// Records that the entry at `position` of `topic` was handled for `instance`.
    mutating func pass(instance: String, topic: ExactText, position: UInt64) {
        let id = ExactText(instance)
        guard let current = next[topic]?[id], current <= position else { return }
        next[topic]?[id] = position + 1
    }
}
