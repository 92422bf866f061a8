/// A contract event: what a TokenScript `ethereum:event` origin filters and reads.
///
/// A log carries topic 0 = keccak256(signature) (unless the event is anonymous), one topic per indexed
/// input, and the non-indexed inputs ABI-encoded as a tuple in `data`. Indexed inputs of dynamic or
/// composite type are stored only as a hash, so they can be matched but never decoded.
public struct ABIEvent: Hashable, Sendable {
    public var name: String
    public var inputs: [ABIParameter]
    public var isAnonymous: Bool

    public init(name: String, inputs: [ABIParameter], isAnonymous: Bool = false) {
        self.name = name
        self.inputs = inputs
        self.isAnonymous = isAnonymous
    }

    /// The canonical signature, e.g. `Transfer(address,address,uint256)`.
    public var signature: String { name + inputs.signatureList }

    /// keccak256(signature): topic 0 of every non-anonymous log of this event.
    public var topic0: [UInt8] { Keccak256.hash(utf8: signature) }

    /// The topic for an indexed value: the ABI word for value types; for strings, bytes, arrays and
    /// tuples, keccak256 of Solidity's "in-place" encoding of the value.
    public static func topic(for value: ABIValue, as type: ABIType) throws(ABIEncodingError) -> [UInt8] {
        switch type {
        case .uint, .int, .address, .bool, .fixedBytes: try ABIEncoder.encode(value, as: type)
        default: Keccak256.hash(try inPlaceEncoding(value, type, padded: false))
        }
    }

    /// The `topics` filter of `eth_getLogs` for the given indexed values, by input name. Positions
    /// without a value are nil (any value); trailing nils are dropped.
    public func topicFilter(_ values: [String: ABIValue]) throws(ABIEncodingError) -> [[UInt8]?] {
        let indexed = inputs.filter(\.isIndexed)
        for name in values.keys where !indexed.contains(where: { $0.name == name }) {
            throw ABIEncodingError(path: name, type: signature, reason: "no indexed input named \(name)")
        }
        var topics: [[UInt8]?] = isAnonymous ? [] : [topic0]
        for input in indexed {
            topics.append(
                try values[input.name].map { value throws(ABIEncodingError) in
                    try Self.topic(for: value, as: input.type)
                })
        }
        while let last = topics.last, last == nil { topics.removeLast() }
        return topics
    }

    /// The inputs of a log, in declaration order.
    public func decodeLog(topics: [[UInt8]], data: [UInt8]) throws(ABIDecodingError) -> [ABILogField] {
        let indexed = inputs.filter(\.isIndexed)
        let expected = indexed.count + (isAnonymous ? 0 : 1)
        guard topics.count == expected, topics.allSatisfy({ $0.count == 32 }) else {
            throw ABIDecodingError(
                offset: 0, type: signature, reason: .wrongTopics(expected: expected, actual: topics.count))
        }
        if !isAnonymous, topics[0] != topic0 {
            throw ABIDecodingError(offset: 0, type: signature, reason: .wrongSignature(topics[0]))
        }
        var nextTopic = isAnonymous ? 0 : 1
        var dataValues = try ABIDecoder.decode(inputs.filter { !$0.isIndexed }.map(\.type), from: data)[...]
        var fields: [ABILogField] = []
        for input in inputs {
            if input.isIndexed {
                let topic = topics[nextTopic]
                nextTopic += 1
                switch input.type {
                case .uint, .int, .address, .bool, .fixedBytes:
                    fields.append(
                        ABILogField(name: input.name, value: .value(try ABIDecoder.decodeWord(input.type, from: topic)))
                    )
                default:
                    fields.append(ABILogField(name: input.name, value: .hashed(topic)))
                }
            } else {
                fields.append(ABILogField(name: input.name, value: .value(dataValues.removeFirst())))
            }
        }
        return fields
    }

    /// Solidity's encoding of indexed composite values: contents only, no lengths or offsets; members
    /// and elements are padded to 32 bytes, a top-level string or bytes is not.
    private static func inPlaceEncoding(_ value: ABIValue, _ type: ABIType, padded: Bool) throws(ABIEncodingError)
        -> [UInt8]
    {
        switch (type, value) {
        case (.string, .string(let text)):
            return pad(Array(text.utf8), padded)
        case (.bytes, .bytes(let bytes)):
            return pad(bytes, padded)
        case (.array(let element), .array(let elements)):
            return try concatenate(elements, Array(repeating: element, count: elements.count))
        case (.fixedArray(let element, let count), .array(let elements)) where elements.count == count:
            return try concatenate(elements, Array(repeating: element, count: count))
        case (.tuple(let components, _), .tuple(let values, _)) where values.count == components.count:
            return try concatenate(values, components)
        case (.string, _), (.bytes, _), (.array, _), (.fixedArray, _), (.tuple, _):
            throw ABIEncodingError(path: "topic", type: type.description, reason: "value \(value) does not match")
        default:
            return try ABIEncoder.encode(value, as: type)
        }
    }

    private static func concatenate(_ values: [ABIValue], _ types: [ABIType]) throws(ABIEncodingError) -> [UInt8] {
        var result: [UInt8] = []
        for (item, type) in zip(values, types) { result += try inPlaceEncoding(item, type, padded: true) }
        return result
    }

    private static func pad(_ bytes: [UInt8], _ padded: Bool) -> [UInt8] {
        padded ? bytes + [UInt8](repeating: 0, count: (32 - bytes.count % 32) % 32) : bytes
    }
}

/// One input of a decoded log.
public struct ABILogField: Hashable, Sendable {
    public let name: String
    public let value: ABILogValue
}

/// A decoded log input: the value itself, or only the topic hash for an indexed dynamic or composite input.
public enum ABILogValue: Hashable, Sendable {
    case value(ABIValue)
    case hashed([UInt8])
}
