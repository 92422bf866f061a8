import TokenScriptModel

/// One topic, or family of topics, an instance needs, and how it reaches the instance.
public struct SubscriptionPattern: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// How a topic is compared with the pattern.
    public enum Match: Sendable, Hashable, Comparable {
        /// The topic is `text`, byte for byte.
        case exact
        /// The topic starts with `text` (a pattern ending in `*`; `text` is what precedes it).
        case prefix
    }

    /// How an attestation of the topic reaches the instance.
    public enum Delivery: Sendable, Hashable, Comparable {
        /// From the attestation log, by topic: a node subscribes to it and routes what arrives
        /// (`sl:on-attestation`).
        case log
        /// Addressed to this instance by whoever produced it: its effects' outcomes (`effect/<name>`, from its
        /// executor or anchoring node), its schedule ticks (`schedule/<trigger>`) and attribute changes
        /// (`attribute/<name>`), signed by its host, and the actions its holder invoked (`action/<action>`),
        /// signed by the node that accepted the invocation. These topics name no instance, so routing them by topic
        /// alone would hand one ticket's hotel booking to every ticket; a node never does.
        case addressed
    }

    public let match: Match
    /// The topic, or for `.prefix` the text before the `*`.
    public let text: ExactText
    public let delivery: Delivery

    public init(_ pattern: TopicPattern, delivery: Delivery) {
        match = pattern.isWildcard ? .prefix : .exact
        text = ExactText(pattern.stem)
        self.delivery = delivery
    }

    init(match: Match, text: ExactText, delivery: Delivery) {
        self.match = match
        self.text = text
        self.delivery = delivery
    }

    /// Whether a concrete topic belongs to the pattern (bytewise, as `TopicPattern.matches`).
    public func matches(_ topic: ExactText) -> Bool {
        switch match {
        case .exact: topic == text
        case .prefix: topic.bytes.starts(with: text.bytes)
        }
    }

    public var description: String { match == .prefix ? "\(text)*" : text.description }

    public static func < (lhs: SubscriptionPattern, rhs: SubscriptionPattern) -> Bool {
        (lhs.delivery, lhs.text, lhs.match) < (rhs.delivery, rhs.text, rhs.match)
    }
}
