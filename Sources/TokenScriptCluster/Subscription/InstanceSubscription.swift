import TokenScriptEngine
import TokenScriptModel

/// The topics one instance needs now: a pure function of its definition and its current stored attributes,
/// recomputed after each step (an attribute change — a rebooked flight — moves the subscription).
///
/// Every trigger counts, whatever the instance's state: which inputs an instance consumes must not depend
/// on when they arrive relative to its other inputs, and an input that arrives before the step that makes it
/// relevant must still reach the instance (its state then decides whether it fires). A trigger whose topic
/// names an unset or unrenderable attribute (`TopicTemplate.isRenderable`) contributes nothing: it cannot
/// fire, and a hostile value never widens what the node receives.
public struct InstanceSubscription: Sendable, Hashable {
    public let instanceID: ExactText
    /// Sorted (delivery, text, match) and without duplicates, so equal needs compare equal.
    public let patterns: [SubscriptionPattern]

    public init(instanceID: String, patterns: some Sequence<SubscriptionPattern>) {
        self.instanceID = ExactText(instanceID)
        self.patterns = Set(patterns).sorted()
    }

    public init(definition: TokenDefinition, instance: TokenInstance) {
        var patterns: [SubscriptionPattern] = []
        for (trigger, template) in zip(definition.server.triggers, definition.attestationTopics) {
            switch trigger.event {
            case .attestation:
                if let topic = template?.rendered(attributes: instance.attributes) {
                    patterns.append(SubscriptionPattern(topic, delivery: .log))
                }
            case .effectOutcome(let on):
                patterns.append(SubscriptionPattern(TopicPattern("effect/" + on.effect), delivery: .addressed))
            case .schedule:
                patterns.append(SubscriptionPattern(TopicPattern("schedule/" + trigger.name), delivery: .addressed))
            case .attributeChange(let name):
                patterns.append(SubscriptionPattern(TopicPattern("attribute/" + name), delivery: .addressed))
            case .action(let name):
                patterns.append(
                    SubscriptionPattern(TopicPattern(ActionInvocation.topic(of: name)), delivery: .addressed))
            }
        }
        self.init(instanceID: instance.id, patterns: patterns)
    }

    /// The patterns a node subscribes to in the attestation log for this instance.
    public var logPatterns: [SubscriptionPattern] { patterns.filter { $0.delivery == .log } }

    /// Whether an attestation of `topic` arriving by `delivery` is one this instance needs.
    public func needs(_ topic: String, delivery: SubscriptionPattern.Delivery = .log) -> Bool {
        let key = ExactText(topic)
        return patterns.contains { $0.delivery == delivery && $0.matches(key) }
    }
}
