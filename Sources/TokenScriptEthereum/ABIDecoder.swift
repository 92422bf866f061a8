/// Strict Solidity ABI decoding of return data, calldata arguments and event data.
///
/// The rules follow eth-abi's strict mode, tightened where that costs canonical data nothing:
/// * every read is bounds-checked, so truncated data is an error naming the offset and type;
/// * an offset must point past the whole head it sits in and inside the data (eth-abi: "invalid pointer");
/// * padding must be zero (a sign extension for `intN`), `bool` must be 0 or 1, `string` must be UTF-8,
///   and the padding after `bytes`/`string` contents must be present and zero;
/// * a length must fit in the bytes that remain, so a hostile length cannot make us allocate;
/// * the number of decoded values is bounded by what the data could canonically hold, so offsets that
///   share or repeat tails cannot amplify a small input into gigabytes.
/// Offsets need not be multiples of 32 and trailing bytes are ignored, as in Solidity and eth-abi.
public enum ABIDecoder {
    /// Decodes `data` as the tuple `(types…)`, e.g. a function's outputs.
    public static func decode(_ types: [ABIType], from data: [UInt8]) throws(ABIDecodingError) -> [ABIValue] {
        var reader = ABIReader(data: data, depth: types.map(\.depth).max() ?? 0)
        return try reader.decodeSequence(types, at: 0)
    }

    /// Decodes a single value encoded as a one-element tuple.
    public static func decode(_ type: ABIType, from data: [UInt8]) throws(ABIDecodingError) -> ABIValue {
        try decode([type], from: data)[0]
    }

    /// Decodes one 32-byte word as a static elementary type, as found in an event topic.
    static func decodeWord(_ type: ABIType, from word: [UInt8]) throws(ABIDecodingError) -> ABIValue {
        var reader = ABIReader(data: word, depth: 1)
        return try reader.decodeValue(type, at: 0)
    }
}

/// A cursor-free reader: each value is decoded at an absolute position, so offsets are plain arithmetic.
private struct ABIReader {
    let data: [UInt8]
    /// Values that may still be produced before the data counts as hostile.
    var budget: Int
    let limit: Int

    init(data: [UInt8], depth: Int) {
        self.data = data
        limit = (data.count / 32 + 2) * (depth + 1)
        budget = limit
    }

    private func fail(_ type: ABIType, _ position: Int, _ reason: ABIDecodingError.Reason) -> ABIDecodingError {
        ABIDecodingError(offset: position, type: type.description, reason: reason)
    }

    /// The 32 bytes at `position`, or a truncation error naming `type`.
    private func word(at position: Int, for type: ABIType) throws(ABIDecodingError) -> ArraySlice<UInt8> {
        guard position + 32 <= data.count else {
            throw fail(type, position, .truncated(needed: 32, available: Swift.max(0, data.count - position)))
        }
        return data[position..<position + 32]
    }

    private mutating func spend(_ type: ABIType, _ position: Int) throws(ABIDecodingError) {
        budget -= 1
        guard budget >= 0 else { throw fail(type, position, .tooManyValues(limit: limit)) }
    }

    /// Decodes components laid out head-first from `base`; dynamic ones are found through offsets relative to `base`.
    mutating func decodeSequence(_ types: [ABIType], at base: Int) throws(ABIDecodingError) -> [ABIValue] {
        let headSize = types.reduce(0) { $0 + $1.headSize }
        var values: [ABIValue] = []
        values.reserveCapacity(types.count)
        var position = base
        for type in types {
            if type.isDynamic {
                let pointer = UInt256(bigEndian: try word(at: position, for: type))!
                guard let offset = pointer.uint64Value.flatMap({ Int(exactly: $0) }), offset <= data.count,
                    offset >= headSize, base + offset < data.count
                else { throw fail(type, position, .invalidOffset(pointer)) }
                values.append(try decodeValue(type, at: base + offset))
            } else {
                values.append(try decodeValue(type, at: position))
            }
            position += type.headSize
        }
        return values
    }

    /// Decodes one value whose encoding starts at `position` (inline for static types, the tail for dynamic ones).
    mutating func decodeValue(_ type: ABIType, at position: Int) throws(ABIDecodingError) -> ABIValue {
        try spend(type, position)
        switch type {
        case .uint(let bits):
            let value = UInt256(bigEndian: try word(at: position, for: type))!
            guard value.bitWidth <= bits else { throw fail(type, position, .nonZeroPadding) }
            return .uint(value)
        case .int(let bits):
            let value = Int256(bits: UInt256(bigEndian: try word(at: position, for: type))!)
            guard value.fits(bits: bits) else { throw fail(type, position, .nonZeroPadding) }
            return .int(value)
        case .address:
            let bytes = try word(at: position, for: type)
            guard bytes.prefix(12).allSatisfy({ $0 == 0 }) else { throw fail(type, position, .nonZeroPadding) }
            return .address(EthereumAddress(bytes: Array(bytes.suffix(20)))!)
        case .bool:
            let bytes = try word(at: position, for: type)
            guard bytes.prefix(31).allSatisfy({ $0 == 0 }) else { throw fail(type, position, .nonZeroPadding) }
            guard bytes.last! <= 1 else { throw fail(type, position, .invalidBool) }
            return .bool(bytes.last! == 1)
        case .fixedBytes(let size):
            let bytes = try word(at: position, for: type)
            guard bytes.dropFirst(size).allSatisfy({ $0 == 0 }) else { throw fail(type, position, .nonZeroPadding) }
            return .fixedBytes(Array(bytes.prefix(size)))
        case .bytes:
            return .bytes(try lengthPrefixed(type, at: position))
        case .string:
            let bytes = try lengthPrefixed(type, at: position)
            let text = String(decoding: bytes, as: UTF8.self)
            // Decoding repairs invalid UTF-8 with U+FFFD; a repaired string no longer matches the bytes.
            guard text.utf8.elementsEqual(bytes) else { throw fail(type, position, .invalidUTF8) }
            return .string(text)
        case .array(let element):
            let count = try length(type, at: position, unit: element.headSize)
            return .array(try decodeSequence(Array(repeating: element, count: count), at: position + 32))
        case .fixedArray(let element, let count):
            // Check the whole head first so a large k with little data fails before anything is allocated.
            let needed = count * element.headSize
            guard position + needed <= data.count else {
                throw fail(type, position, .truncated(needed: needed, available: data.count - position))
            }
            return .array(try decodeSequence(Array(repeating: element, count: count), at: position))
        case .tuple(let components, let names):
            return .tuple(try decodeSequence(components, at: position), names: names)
        }
    }

    /// A length word at `position` whose `unit`-byte items must fit in the data after it.
    private func length(_ type: ABIType, at position: Int, unit: Int) throws(ABIDecodingError) -> Int {
        let value = UInt256(bigEndian: try word(at: position, for: type))!
        let available = data.count - position - 32
        guard let count = value.uint64Value.flatMap({ Int(exactly: $0) }), count <= available,
            count * Swift.max(unit, 1) <= available
        else {
            throw fail(type, position, .invalidLength(value))
        }
        return count
    }

    /// The contents of `bytes`/`string` at `position`: a length, the bytes, then zero padding to 32.
    private func lengthPrefixed(_ type: ABIType, at position: Int) throws(ABIDecodingError) -> [UInt8] {
        let count = try length(type, at: position, unit: 1)
        let start = position + 32
        let padded = (count + 31) / 32 * 32
        guard start + padded <= data.count else {
            throw fail(type, start, .truncated(needed: padded, available: data.count - start))
        }
        guard data[(start + count)..<(start + padded)].allSatisfy({ $0 == 0 }) else {
            throw fail(type, start + count, .nonZeroPadding)
        }
        return Array(data[start..<(start + count)])
    }
}
