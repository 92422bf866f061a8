import TokenScriptAttestation
import TokenScriptJSON

/// Any JSON value as `Codable`, so an attestation's wire object can sit inside an anchor message as an object
/// (not a string) while the rest of the message uses `JSONEncoder`.
struct WireJSON: Codable, Sendable {
    var value: JSONValue

    init(_ value: JSONValue) {
        self.value = value
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .integer(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .float(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(WireJSON(item)) }
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (key, member) in members {
                try container.encode(WireJSON(member), forKey: Key(stringValue: key.string))
            }
        }
    }

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            var members: [JSONKey: JSONValue] = [:]
            for key in keyed.allKeys {
                members[JSONKey(key.stringValue)] = try keyed.decode(WireJSON.self, forKey: key).value
            }
            value = .object(members)
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !unkeyed.isAtEnd { items.append(try unkeyed.decode(WireJSON.self).value) }
            value = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            value = .null
        } else if let flag = try? single.decode(Bool.self) {
            value = .bool(flag)
        } else if let number = try? single.decode(Int64.self) {
            value = .integer(number)
        } else if let number = try? single.decode(Double.self) {
            value = .float(number)
        } else {
            value = .string(try single.decode(String.self))
        }
    }
}

/// An attestation in its wire form (`Attestation.json`) inside an anchor message; decoding is the strict
/// wire reader's, so a bad field is refused with its name.
public struct WireAttestation: Codable, Sendable, Hashable {
    public var attestation: Attestation

    public init(_ attestation: Attestation) {
        self.attestation = attestation
    }

    public func encode(to encoder: any Encoder) throws {
        let value = try JSONReader.read(attestation.json)
        try WireJSON(value).encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        let json = try WireJSON(from: decoder).value
        do {
            attestation = try Attestation(wire: AttestationValue(json: json))
        } catch {
            throw AnchorWireError.malformedAttestation(field: error.field, reason: error.reason)
        }
    }
}

/// A message that does not have the anchor API's shape.
public enum AnchorWireError: Error, Hashable, Sendable, CustomStringConvertible {
    case malformedAttestation(field: String, reason: String)

    public var description: String {
        switch self {
        case .malformedAttestation(let field, let reason): "attestation field \(field): \(reason)"
        }
    }
}
