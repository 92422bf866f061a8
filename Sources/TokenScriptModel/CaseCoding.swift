/// Codable forms for the model's enums with payloads: `{"<case>": <payload>}`, one key per value.
///
/// Swift's synthesized form (`{"call": {"_0": …}}`) leaks an implementation detail into golden
/// files and JSON output; this one reads as the document does.
struct CaseKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) {
        stringValue = string
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}

extension KeyedDecodingContainer where Key == CaseKey {
    /// The single case key of an encoded enum value.
    func onlyKey() throws -> String {
        guard allKeys.count == 1, let key = allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "expected exactly one case key, found \(allKeys.map(\.stringValue))"))
        }
        return key.stringValue
    }

    func value<T: Decodable>(_ key: String) throws -> T {
        try decode(T.self, forKey: CaseKey(key))
    }
}

extension AttributeOrigin: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CaseKey.self)
        switch try container.onlyKey() {
        case "call": self = .call(try container.value("call"))
        case "event": self = .event(try container.value("event"))
        case "storage": self = .storage(try container.value("storage"))
        case "tokenID": self = .tokenID(try container.value("tokenID"))
        case "userEntry": self = .userEntry(try container.value("userEntry"))
        case "literal": self = .literal(try container.value("literal"))
        case "path": self = .path(try container.value("path"))
        case "attributeReference": self = .attributeReference(try container.value("attributeReference"))
        case let other:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown origin \(other)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CaseKey.self)
        switch self {
        case .call(let value): try container.encode(value, forKey: CaseKey("call"))
        case .event(let value): try container.encode(value, forKey: CaseKey("event"))
        case .storage(let value): try container.encode(value, forKey: CaseKey("storage"))
        case .tokenID(let value): try container.encode(value, forKey: CaseKey("tokenID"))
        case .userEntry(let value): try container.encode(value, forKey: CaseKey("userEntry"))
        case .literal(let value): try container.encode(value, forKey: CaseKey("literal"))
        case .path(let value): try container.encode(value, forKey: CaseKey("path"))
        case .attributeReference(let value): try container.encode(value, forKey: CaseKey("attributeReference"))
        }
    }
}

extension TokenOrigin: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CaseKey.self)
        switch try container.onlyKey() {
        case "contract": self = .contract(try container.value("contract"))
        case "attestation": self = .attestation(try container.value("attestation"))
        case let other:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown origin \(other)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CaseKey.self)
        switch self {
        case .contract(let name): try container.encode(name, forKey: CaseKey("contract"))
        case .attestation(let name): try container.encode(name, forKey: CaseKey("attestation"))
        }
    }
}

extension DataArgument.Source: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CaseKey.self)
        switch try container.onlyKey() {
        case "literal": self = .literal(try container.value("literal"))
        case "ref": self = .reference(try container.value("ref"))
        case "local-ref": self = .localReference(try container.value("local-ref"))
        case let other:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown source \(other)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CaseKey.self)
        switch self {
        case .literal(let text): try container.encode(text, forKey: CaseKey("literal"))
        case .reference(let name): try container.encode(name, forKey: CaseKey("ref"))
        case .localReference(let name): try container.encode(name, forKey: CaseKey("local-ref"))
        }
    }
}

/// Encoded as `"token"` or `{"card": name}`.
extension AttributeScope: Codable {
    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self), text == "token" {
            self = .token
            return
        }
        let container = try decoder.container(keyedBy: CaseKey.self)
        self = .card(try container.value("card"))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .token:
            var container = encoder.singleValueContainer()
            try container.encode("token")
        case .card(let name):
            var container = encoder.container(keyedBy: CaseKey.self)
            try container.encode(name, forKey: CaseKey("card"))
        }
    }
}

extension FilterValue.Segment: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CaseKey.self)
        switch try container.onlyKey() {
        case "literal": self = .literal(try container.value("literal"))
        case "reference": self = .reference(try container.value("reference"))
        case let other:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown segment \(other)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CaseKey.self)
        switch self {
        case .literal(let text): try container.encode(text, forKey: CaseKey("literal"))
        case .reference(let name): try container.encode(name, forKey: CaseKey("reference"))
        }
    }
}

/// A value whose JSON form is the text an author writes: `"uint"`, `"e18"`, `"FF00"`, `"a.b[0]"`, a filter.
protocol TextCoded: Codable {
    init?(codingText: String)
    var codingText: String { get }
}

extension TextCoded {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(codingText: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a valid \(Self.self): \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(codingText)
    }
}

extension ValueConversion: TextCoded {
    init?(codingText: String) { self.init(codingText) }
    var codingText: String { description }
}

extension Bitmask: TextCoded {
    init?(codingText: String) { self.init(codingText) }
    var codingText: String { hex }
}

extension Card.Kind: TextCoded {
    init?(codingText: String) { self.init(codingText) }
    var codingText: String { description }
}

extension AttributePath: TextCoded {
    init?(codingText: String) { self.init(codingText) }
    var codingText: String { description }
}

/// The canonical filter text parses back to the same tree.
extension FilterExpression: TextCoded {
    init?(codingText: String) {
        guard let expression = try? FilterParser.parse(codingText) else { return nil }
        self = expression
    }

    var codingText: String { description }
}
