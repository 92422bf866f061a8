/// A topic, or a family of topics: `flight-status/LH123`, `flight-status/*`, `*`.
///
/// Topics are `/`-separated names. A pattern matches a topic exactly, or, when it ends in `*`, every topic
/// that starts with the text before the `*`. No other character is special. Only a trailing `*` is well
/// formed, so a pattern is a plain prefix test and can never match more than its author can see at a glance
/// (`flight-status/LH400/*` cannot match `flight-status/LH4000/…`).
///
/// The one definition shared by the model (`sl:issuer topics=`, `sl:on-attestation topic=`) and the
/// attestation verifier's `TrustConfiguration`.
public struct TopicPattern: Sendable, Hashable, CustomStringConvertible {
    public var text: String

    /// Any text, as an author wrote it; `isWellFormed` says whether it may be used.
    public init(_ text: String) {
        self.text = text
    }

    /// Nil unless `text` is well formed (`isWellFormed`).
    public init?(wellFormed text: String) {
        self.init(text)
        guard isWellFormed else { return nil }
    }

    public var isWildcard: Bool { text.hasSuffix("*") }

    /// The text before the trailing `*` (the whole text when there is none).
    public var stem: Substring { isWildcard ? text.dropLast() : Substring(text) }

    /// Whether a concrete topic belongs to this pattern, comparing UTF-8 bytes: Swift's `==` and `hasPrefix`
    /// compare canonically equivalent text as equal, and routing (`TopicKey`) and matching must agree.
    public func matches(_ topic: String) -> Bool {
        isWildcard ? topic.utf8.starts(with: stem.utf8) : topic.utf8.elementsEqual(text.utf8)
    }

    /// Whether every topic `other` matches is matched by this pattern too (bytewise, as `matches`).
    public func covers(_ other: TopicPattern) -> Bool {
        isWildcard
            ? other.stem.utf8.starts(with: stem.utf8)
            : (!other.isWildcard && other.text.utf8.elementsEqual(text.utf8))
    }

    /// Non-empty, no whitespace, and `*` only as the last character.
    public var isWellFormed: Bool {
        !text.isEmpty && !text.contains(where: \.isWhitespace) && !stem.contains("*")
    }

    public var description: String { text }
}
