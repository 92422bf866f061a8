/// `sl:on-attestation topic=` as written: a topic pattern that may name stored attributes, `${name}`, so
/// that an instance listens only to its own topics (`flight-status/${flight}` for a ticket of LH400 is
/// `flight-status/LH400`).
///
/// Rules (ServerExtension.md, "Topics with attributes"):
/// * `$`, `{` and `}` appear only as `${name}`; `*` only at the end and never right after a reference
///   (`${flight}*` would match every flight that starts with the value);
/// * a value is rendered as is (strings) or in decimal (integers), and must be one harmless piece of a
///   name (`isRenderable`): a value with `/`, `*`, `$`, `{`, `}`, whitespace or control characters, an
///   empty value or one over `maximumValueBytes` renders nothing, so a hostile value can never widen the
///   subscription; neither does an unset attribute (the trigger then listens to nothing).
public struct TopicTemplate: Sendable, Hashable, CustomStringConvertible {
    /// A piece of the template.
    public enum Segment: Sendable, Hashable {
        case literal(String)
        /// `${name}`: a stored attribute's value.
        case attribute(String)
    }

    /// What a template may be filled with: the only two types a topic renders.
    public enum Value: Sendable, Hashable {
        case string(String)
        case integer(Int64)
    }

    /// The text as written.
    public let text: String
    /// The pieces, in order; a trailing `*` is part of the last literal.
    public let segments: [Segment]

    /// The longest rendered value, in UTF-8 bytes: a topic is a name, not a payload.
    public static let maximumValueBytes = 200

    /// Parses and checks the syntax; the attribute names are checked against the document by the reader.
    public init(parsing text: String) throws(TopicTemplateError) {
        self.text = text
        self.segments = try TopicTemplateParser.segments(of: text)
    }

    /// The attributes the template names, in order of first appearance.
    public var references: [String] {
        var names: [String] = []
        for case .attribute(let name) in segments where !names.contains(where: { $0.utf8.elementsEqual(name.utf8) }) {
            names.append(name)
        }
        return names
    }

    /// The text before the first reference: every topic the template can render starts with it.
    public var literalPrefix: String {
        guard case .literal(let text)? = segments.first else { return "" }
        return text.hasSuffix("*") && segments.count == 1 ? String(text.dropLast()) : text
    }

    /// Whether an issuer trusted for `pattern` could sign some topic this template renders: without
    /// references, `pattern` must cover the topic; with them, it must share the literal prefix (an issuer of
    /// `flight-status/LH*` may sign `flight-status/${flight}` for LH flights). Reader-side only.
    public func mayBeCovered(by pattern: TopicPattern) -> Bool {
        guard !references.isEmpty else { return pattern.covers(TopicPattern(text)) }
        let prefix = literalPrefix.utf8
        let stem = pattern.stem.utf8
        return pattern.isWildcard ? (prefix.starts(with: stem) || stem.starts(with: prefix)) : stem.starts(with: prefix)
    }

    /// The topic pattern for some attribute values, or nil when a named attribute is unset or its value may
    /// not appear in a topic. Deterministic: the same values give the same bytes on every replica.
    public func rendered(_ value: (String) -> Value?) -> TopicPattern? {
        var topic = ""
        for segment in segments {
            switch segment {
            case .literal(let piece): topic += piece
            case .attribute(let name):
                guard let value = value(name), let piece = Self.rendering(value) else { return nil }
                topic += piece
            }
        }
        return TopicPattern(topic)
    }

    /// The text of a value in a topic, or nil when the value may not appear in one.
    public static func rendering(_ value: Value) -> String? {
        switch value {
        case .integer(let number): String(number)
        case .string(let text): isRenderable(text) ? text : nil
        }
    }

    /// Whether a string value is one harmless piece of a topic name: non-empty, at most `maximumValueBytes`,
    /// and free of `/` (another level), `*` (a wildcard), `$ { }` (a reference), whitespace and control
    /// characters (invisible differences). Refusing such values, rather than escaping them, keeps topics
    /// readable and means no escaping scheme has to be agreed with every issuer.
    public static func isRenderable(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= maximumValueBytes else { return false }
        return !text.unicodeScalars.contains { scalar in
            reservedScalars.contains(scalar.value) || scalar.properties.isWhitespace
                || scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
        }
    }

    /// `/ * $ { }`.
    static let reservedScalars: Set<UInt32> = [0x2F, 0x2A, 0x24, 0x7B, 0x7D]

    public var description: String { text }
}

/// Why a topic template is malformed; `offset` counts characters from 0.
public struct TopicTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) at offset \(offset)" }
}
