/// The union of the subscriptions of the instances one node hosts, and the router from an attestation's
/// topic to the hosted instances that need it.
///
/// Only `.log` patterns are indexed: addressed inputs (effect outcomes, schedule ticks, attribute changes)
/// go to the instance they were produced for. Exact topics are a dictionary keyed by bytes (`ExactText`);
/// prefix patterns are a dictionary keyed by their stem, probed once for each distinct stem length no
/// longer than the topic, so routing costs a handful of lookups however many instances a node hosts.
public struct NodeSubscriptions: Sendable {
    private var exact: [ExactText: Set<ExactText>] = [:]
    private var prefixes: [ExactText: Set<ExactText>] = [:]
    /// How many stems have each length; its sorted keys are the lengths to probe.
    private var stemLengthCounts: [Int: Int] = [:]
    private var stemLengths: [Int] = []
    private var byInstance: [ExactText: InstanceSubscription] = [:]

    public init() {}

    public init(_ subscriptions: some Sequence<InstanceSubscription>) {
        for subscription in subscriptions { update(subscription) }
    }

    /// How many instances are subscribed.
    public var instanceCount: Int { byInstance.count }

    /// Sets an instance's subscription, replacing what it needed before (after a step, or when it arrives).
    public mutating func update(_ subscription: InstanceSubscription) {
        remove(subscription.instanceID)
        byInstance[subscription.instanceID] = subscription
        for pattern in subscription.logPatterns {
            switch pattern.match {
            case .exact: exact[pattern.text, default: []].insert(subscription.instanceID)
            case .prefix:
                if prefixes[pattern.text] == nil { countStem(of: pattern.text.bytes.count, by: 1) }
                prefixes[pattern.text, default: []].insert(subscription.instanceID)
            }
        }
    }

    /// Forgets an instance (it moved to another node, or ended).
    public mutating func remove(instance id: String) { remove(ExactText(id)) }

    private mutating func remove(_ id: ExactText) {
        guard let old = byInstance.removeValue(forKey: id) else { return }
        for pattern in old.logPatterns {
            switch pattern.match {
            case .exact:
                exact[pattern.text]?.remove(id)
                if exact[pattern.text]?.isEmpty == true { exact[pattern.text] = nil }
            case .prefix:
                prefixes[pattern.text]?.remove(id)
                if prefixes[pattern.text]?.isEmpty == true {
                    prefixes[pattern.text] = nil
                    countStem(of: pattern.text.bytes.count, by: -1)
                }
            }
        }
    }

    private mutating func countStem(of length: Int, by change: Int) {
        let count = stemLengthCounts[length, default: 0] + change
        stemLengthCounts[length] = count > 0 ? count : nil
        stemLengths = stemLengthCounts.keys.sorted()
    }

    /// The subscription of one hosted instance, if it is hosted here.
    public func subscription(of instanceID: String) -> InstanceSubscription? { byInstance[ExactText(instanceID)] }

    /// Whether any hosted instance needs an attestation of `topic` from the log.
    public func matches(_ topic: String) -> Bool {
        var found = false
        visitInstances(needing: ExactText(topic)) { _ in
            found = true
            return false
        }
        return found
    }

    /// The hosted instances that need an attestation of `topic` from the log, ordered bytewise by id (the
    /// same order on every node).
    public func instances(needing topic: String) -> [String] {
        var found: Set<ExactText> = []
        visitInstances(needing: ExactText(topic)) { ids in
            found.formUnion(ids)
            return true
        }
        return found.sorted().map(\.description)
    }

    /// What the node asks the attestation log for: the union of its instances' log patterns, each once, a
    /// prefix pattern absorbing the exact topics and longer prefixes it covers.
    public var logPatterns: [SubscriptionPattern] {
        let stems = prefixes.keys.sorted()
        let covering = stems.filter { stem in !stems.contains { $0 != stem && stem.bytes.starts(with: $0.bytes) } }
        let covered: (ExactText) -> Bool = { text in covering.contains { text.bytes.starts(with: $0.bytes) } }
        let patterns =
            covering.map { SubscriptionPattern(prefix: $0) }
            + exact.keys.filter { !covered($0) }.map { SubscriptionPattern(exact: $0) }
        return patterns.sorted()
    }

    /// Calls `body` with each non-empty set of instance ids whose pattern matches; stops when it returns false.
    private func visitInstances(needing topic: ExactText, _ body: (Set<ExactText>) -> Bool) {
        if let ids = exact[topic], !body(ids) { return }
        for length in stemLengths {
            guard length <= topic.bytes.count else { break }
            if let ids = prefixes[ExactText(bytes: topic.bytes[..<length])], !body(ids) { return }
        }
    }
}

extension SubscriptionPattern {
    fileprivate init(prefix stem: ExactText) {
        self.init(match: .prefix, text: stem, delivery: .log)
    }

    fileprivate init(exact topic: ExactText) {
        self.init(match: .exact, text: topic, delivery: .log)
    }
}
