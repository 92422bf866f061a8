/// Codable forms of the server extension's values, in the style of `CaseCoding.swift`:
/// enums with payloads as `{"<case>": <payload>}`, text-like values as the text an author writes.

extension TopicPattern: TextCoded {
    init?(codingText: String) { self.init(codingText) }
    var codingText: String { text }
}

extension StatusPattern: TextCoded {
    init?(codingText: String) { self.init(codingText) }
    var codingText: String { text }
}

extension ISODuration: TextCoded {
    init?(codingText: String) { self.init(codingText) }
    var codingText: String { text }
}

extension ScheduleAnchor: TextCoded {
    init?(codingText: String) { self.init(codingText) }
    var codingText: String { description }
}

extension TriggerEvent: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CaseKey.self)
        switch try container.onlyKey() {
        case "attestation": self = .attestation(try container.value("attestation"))
        case "schedule": self = .schedule(try container.value("schedule"))
        case "attribute": self = .attributeChange(try container.value("attribute"))
        case "effect": self = .effectOutcome(try container.value("effect"))
        case let other:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown trigger \(other)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CaseKey.self)
        switch self {
        case .attestation(let value): try container.encode(value, forKey: CaseKey("attestation"))
        case .schedule(let value): try container.encode(value, forKey: CaseKey("schedule"))
        case .attributeChange(let name): try container.encode(name, forKey: CaseKey("attribute"))
        case .effectOutcome(let value): try container.encode(value, forKey: CaseKey("effect"))
        }
    }
}

/// `{"at": "2026-…Z"}`, `{"after": {"duration": "PT6H", "from": "departureTime"}}`, `{"every": "PT1H"}`.
extension ScheduleTrigger: Codable {
    private struct After: Codable {
        var duration: ISODuration
        var from: ScheduleAnchor
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CaseKey.self)
        switch try container.onlyKey() {
        case "at": self = .at(try container.value("at"))
        case "after":
            let after: After = try container.value("after")
            self = .after(after.duration, from: after.from)
        case "every": self = .every(try container.value("every"))
        case let other:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown schedule \(other)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CaseKey.self)
        switch self {
        case .at(let time): try container.encode(time, forKey: CaseKey("at"))
        case .after(let duration, let from): try container.encode(After(duration: duration, from: from), forKey: CaseKey("after"))
        case .every(let duration): try container.encode(duration, forKey: CaseKey("every"))
        }
    }
}

/// `{"goto": "state"}` or `{"lua": {"text": …, "line": …}}`.
extension Transition: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CaseKey.self)
        switch try container.onlyKey() {
        case "goto": self = .goto(try container.value("goto"))
        case "lua": self = .lua(try container.value("lua"))
        case let other:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown transition \(other)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CaseKey.self)
        switch self {
        case .goto(let state): try container.encode(state, forKey: CaseKey("goto"))
        case .lua(let source): try container.encode(source, forKey: CaseKey("lua"))
        }
    }
}
