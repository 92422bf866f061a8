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
        let encoded = try CaseDecoder(decoder)
        switch encoded.key {
        case "attestation": self = .attestation(try encoded.payload())
        case "schedule": self = .schedule(try encoded.payload())
        case "attribute": self = .attributeChange(try encoded.payload())
        case "effect": self = .effectOutcome(try encoded.payload())
        case "action": self = .action(try encoded.payload())
        default: throw encoded.unknown("trigger")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .attestation(let value): try encoder.encodeCase("attestation", value)
        case .schedule(let value): try encoder.encodeCase("schedule", value)
        case .attributeChange(let name): try encoder.encodeCase("attribute", name)
        case .effectOutcome(let value): try encoder.encodeCase("effect", value)
        case .action(let name): try encoder.encodeCase("action", name)
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
        let encoded = try CaseDecoder(decoder)
        switch encoded.key {
        case "at": self = .at(try encoded.payload())
        case "after":
            let after: After = try encoded.payload()
            self = .after(after.duration, from: after.from)
        case "every": self = .every(try encoded.payload())
        default: throw encoded.unknown("schedule")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .at(let time): try encoder.encodeCase("at", time)
        case .after(let duration, let from): try encoder.encodeCase("after", After(duration: duration, from: from))
        case .every(let duration): try encoder.encodeCase("every", duration)
        }
    }
}

/// `{"goto": "state"}` or `{"lua": {"text": …, "line": …}}`.
extension Transition: Codable {
    public init(from decoder: any Decoder) throws {
        let encoded = try CaseDecoder(decoder)
        switch encoded.key {
        case "goto": self = .goto(try encoded.payload())
        case "lua": self = .lua(try encoded.payload())
        default: throw encoded.unknown("transition")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .goto(let state): try encoder.encodeCase("goto", state)
        case .lua(let source): try encoder.encodeCase("lua", source)
        }
    }
}
