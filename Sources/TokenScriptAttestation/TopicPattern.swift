/// A topic or a family of topics in a trust configuration: exact, or a prefix ending in `*`.
///
/// Only a trailing `*` is allowed, so a pattern is a plain prefix test and can never match more than its
/// author can see at a glance (`flight-status/LH400/*` cannot match `flight-status/LH4000/…`).
public struct TopicPattern: Hashable, Sendable, CustomStringConvertible {
    public let text: String

    /// Nil when empty or when `*` appears anywhere but at the end.
    public init?(_ text: String) {
        guard !text.isEmpty, !text.dropLast().contains("*") else { return nil }
        self.text = text
    }

    public func matches(_ topic: String) -> Bool {
        text.hasSuffix("*") ? topic.hasPrefix(text.dropLast()) : topic == text
    }

    public var description: String { text }
}
