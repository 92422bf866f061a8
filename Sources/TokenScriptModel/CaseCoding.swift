/// Codable forms for the model's enums with payloads: `{"<case>": <payload>}`, one key per value.
///
/// Swift's synthesized form (`{"call": {"_0": …}}`) leaks an implementation detail into golden
/// files and JSON output; this one reads as the document does. `CaseDecoder` and `encodeCase` hold the
/// container handling, so each enum only lists its cases and every case key is written once per direction.
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

/// An encoded `{"<case>": <payload>}`: its one case key, and its payload decoded on demand.
struct CaseDecoder {
    let key: String
    private let container: KeyedDecodingContainer<CaseKey>
    private let codingPath: [any CodingKey]

    init(_ decoder: any Decoder) throws {
        container = try decoder.container(keyedBy: CaseKey.self)
        codingPath = decoder.codingPath
        guard container.allKeys.count == 1, let only = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: container.codingPath,
                    debugDescription: "expected exactly one case key, found \(container.allKeys.map(\.stringValue))"))
        }
        key = only.stringValue
    }

    func payload<T: Decodable>() throws -> T {
        try container.decode(T.self, forKey: CaseKey(key))
    }

    /// The error for a case key the enum does not have; `kind` names it (`origin`, `trigger` …).
    func unknown(_ kind: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath, debugDescription: "unknown \(kind) \(key)"))
    }
}

extension Encoder {
    /// Writes `{"<key>": <payload>}`.
    func encodeCase(_ key: String, _ payload: some Encodable) throws {
        var container = self.container(keyedBy: CaseKey.self)
        try container.encode(payload, forKey: CaseKey(key))
    }
}

extension AttributeOrigin: Codable {
    public init(from decoder: any Decoder) throws {
        let encoded = try CaseDecoder(decoder)
        switch encoded.key {
        case "call": self = .call(try encoded.payload())
        case "event": self = .event(try encoded.payload())
        case "storage": self = .storage(try encoded.payload())
        case "tokenID": self = .tokenID(try encoded.payload())
        case "userEntry": self = .userEntry(try encoded.payload())
        case "literal": self = .literal(try encoded.payload())
        case "path": self = .path(try encoded.payload())
        case "attributeReference": self = .attributeReference(try encoded.payload())
        default: throw encoded.unknown("origin")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .call(let value): try encoder.encodeCase("call", value)
        case .event(let value): try encoder.encodeCase("event", value)
        case .storage(let value): try encoder.encodeCase("storage", value)
        case .tokenID(let value): try encoder.encodeCase("tokenID", value)
        case .userEntry(let value): try encoder.encodeCase("userEntry", value)
        case .literal(let value): try encoder.encodeCase("literal", value)
        case .path(let value): try encoder.encodeCase("path", value)
        case .attributeReference(let value): try encoder.encodeCase("attributeReference", value)
        }
    }
}

extension TokenOrigin: Codable {
    public init(from decoder: any Decoder) throws {
        let encoded = try CaseDecoder(decoder)
        switch encoded.key {
        case "contract": self = .contract(try encoded.payload())
        case "attestation": self = .attestation(try encoded.payload())
        default: throw encoded.unknown("origin")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .contract(let name): try encoder.encodeCase("contract", name)
        case .attestation(let name): try encoder.encodeCase("attestation", name)
        }
    }
}

extension DataArgument.Source: Codable {
    public init(from decoder: any Decoder) throws {
        let encoded = try CaseDecoder(decoder)
        switch encoded.key {
        case "literal": self = .literal(try encoded.payload())
        case "ref": self = .reference(try encoded.payload())
        case "local-ref": self = .localReference(try encoded.payload())
        default: throw encoded.unknown("source")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .literal(let text): try encoder.encodeCase("literal", text)
        case .reference(let name): try encoder.encodeCase("ref", name)
        case .localReference(let name): try encoder.encodeCase("local-ref", name)
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
        self = .card(try decoder.container(keyedBy: CaseKey.self).decode(String.self, forKey: CaseKey("card")))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .token:
            var container = encoder.singleValueContainer()
            try container.encode("token")
        case .card(let name): try encoder.encodeCase("card", name)
        }
    }
}

extension FilterValue.Segment: Codable {
    public init(from decoder: any Decoder) throws {
        let encoded = try CaseDecoder(decoder)
        switch encoded.key {
        case "literal": self = .literal(try encoded.payload())
        case "reference": self = .reference(try encoded.payload())
        default: throw encoded.unknown("segment")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .literal(let text): try encoder.encodeCase("literal", text)
        case .reference(let name): try encoder.encodeCase("reference", name)
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
