import TokenScriptCluster

/// Network only: the topics a node has read from the log's topic index (`AttestationLog.topics(from:limit:)`),
/// so instances whose triggers name a prefix pattern (`flight-status/*`) follow every matching topic by
/// position, as they follow an exact one.
///
/// Only topics a trigger can be about are kept: the network's own records (`order/…`, `inbox/…`, `instance/…`,
/// `retired/…`, `instances`, `anchor/…`) and the addressed topics (`effect/…`, `schedule/…`, `attribute/…`,
/// `action/…`), which never reach an instance by topic, are skipped. For each instance and prefix pattern it
/// keeps the index position read when the instance started following the pattern: a matching topic listed after
/// it was created after the instance needed it, so all its entries count (it is followed from position 1); one
/// listed before it is followed like an exact topic newly needed (after what was ordered for the instance, else
/// after its head).
struct DiscoveredTopics: Sendable {
    struct Discovered: Sendable, Hashable {
        let position: UInt64
        let topic: ExactText
    }

    /// The last index position read.
    private(set) var cursor: UInt64 = 0
    private var topics: [Discovered] = []
    private var starts: [ExactText: [SubscriptionPattern: UInt64]] = [:]

    static let skippedPrefixes = [
        "order/", "inbox/", "instance/", "anchor/", "effect/", "schedule/", "attribute/", "action/", "retired/",
    ].map { Array($0.utf8) }
    static let skippedTopics = [Array("instances".utf8)]

    /// Whether a topic is one of the network's own records or an addressed topic (never followed by prefix).
    static func isSkipped(_ topic: ExactText) -> Bool {
        skippedTopics.contains(topic.bytes) || skippedPrefixes.contains { topic.bytes.starts(with: $0) }
    }

    /// Takes a page of the index read from `cursor + 1`; true when it listed a topic a trigger can be about.
    @discardableResult
    mutating func read(_ page: [LogTopic]) -> Bool {
        var found = false
        for listed in page where listed.position > cursor {
            cursor = listed.position
            let topic = ExactText(listed.topic)
            guard !Self.isSkipped(topic) else { continue }
            topics.append(Discovered(position: listed.position, topic: topic))
            found = true
        }
        return found
    }

    /// The topics read so far that `pattern` matches.
    func matching(_ pattern: SubscriptionPattern) -> [Discovered] {
        topics.filter { pattern.matches($0.topic) }
    }

    /// The index position `instance` started following `pattern` at: the cursor when first asked.
    mutating func start(of pattern: SubscriptionPattern, for instance: String) -> UInt64 {
        let id = ExactText(instance)
        if let start = starts[id]?[pattern] { return start }
        starts[id, default: [:]][pattern] = cursor
        return cursor
    }

    /// Whether `instance` has started following `pattern` already.
    func hasStarted(_ pattern: SubscriptionPattern, for instance: String) -> Bool {
        starts[ExactText(instance)]?[pattern] != nil
    }

    /// Forgets where `instance` started following every pattern but `patterns` (those it still needs; none once
    /// it is released).
    mutating func forget(_ instance: String, keeping patterns: Set<SubscriptionPattern>) {
        let id = ExactText(instance)
        starts[id] = starts[id]?.filter { patterns.contains($0.key) }
        if starts[id]?.isEmpty == true { starts[id] = nil }
    }
}
