/// Solidity ABI encoding: a head of fixed-size words and a tail for dynamic values, reached by offsets.
///
/// Values are checked against their types as they are encoded (ranges of `uintN`/`intN`, lengths of
/// `bytesN` and `T[k]`, tuple arity), so a TokenScript `ts:data` value that does not fit is an error
/// here, not a silently truncated call.
public enum ABIEncoder {
    /// The encoding of `values` as the tuple `(types…)`, i.e. function arguments without the selector.
    public static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIEncodingError) -> [UInt8] {
        guard values.count == types.count else {
            throw ABIEncodingError(
                path: "", type: ABIType.tuple(types).description,
                reason: "\(values.count) values for \(types.count) types")
        }
        return try encodeSequence(values, types, path: "")
    }

    /// The encoding of one value, as a one-element tuple (what a single return value looks like).
    public static func encode(_ value: ABIValue, as type: ABIType) throws(ABIEncodingError) -> [UInt8] {
        try encode([value], as: [type])
    }

    /// Head/tail encoding of tuple components or array elements, each with the path that names it in errors.
    private static func headTail(_ items: [(value: ABIValue, type: ABIType, path: String)]) throws(ABIEncodingError)
        -> [UInt8]
    {
        let headSize = items.reduce(0) { $0 + $1.type.headSize }
        var head: [UInt8] = []
        var tail: [UInt8] = []
        head.reserveCapacity(headSize)
        for item in items {
            let encoded = try encodeValue(item.value, item.type, path: item.path)
            if item.type.isDynamic {
                head += UInt256(UInt64(headSize + tail.count)).bigEndianBytes
                tail += encoded
            } else {
                head += encoded
            }
        }
        return head + tail
    }

    static func encodeSequence(_ values: [ABIValue], _ types: [ABIType], path: String) throws(ABIEncodingError)
        -> [UInt8]
    {
        try headTail(
            zip(values, types).enumerated().map { index, pair in
                (pair.0, pair.1, path.isEmpty ? "\(index)" : path + ".\(index)")
            })
    }

    private static func encodeElements(_ elements: [ABIValue], _ type: ABIType, path: String) throws(ABIEncodingError)
        -> [UInt8]
    {
        try headTail(elements.enumerated().map { index, value in (value, type, path + "[\(index)]") })
    }

    private static func encodeValue(_ value: ABIValue, _ type: ABIType, path: String) throws(ABIEncodingError)
        -> [UInt8]
    {
        func fail(_ reason: String) -> ABIEncodingError {
            ABIEncodingError(path: path, type: type.description, reason: reason)
        }
        switch (type, value) {
        case (.uint(let bits), .uint(let number)):
            guard number.bitWidth <= bits else { throw fail("\(number) does not fit in \(bits) bits") }
            return number.bigEndianBytes
        case (.int(let bits), .int(let number)):
            guard number.fits(bits: bits) else { throw fail("\(number) does not fit in \(bits) signed bits") }
            return number.bits.bigEndianBytes
        case (.address, .address(let address)):
            return [UInt8](repeating: 0, count: 12) + address.bytes
        case (.bool, .bool(let flag)):
            return UInt256(flag ? 1 : 0).bigEndianBytes
        case (.fixedBytes(let size), .fixedBytes(let bytes)):
            guard bytes.count == size else { throw fail("\(bytes.count) bytes, expected exactly \(size)") }
            return bytes + [UInt8](repeating: 0, count: 32 - size)
        case (.bytes, .bytes(let bytes)):
            return lengthPrefixed(bytes)
        case (.string, .string(let text)):
            return lengthPrefixed(Array(text.utf8))
        case (.array(let element), .array(let elements)):
            let body = try encodeElements(elements, element, path: path)
            return UInt256(UInt64(elements.count)).bigEndianBytes + body
        case (.fixedArray(let element, let count), .array(let elements)):
            guard elements.count == count else { throw fail("\(elements.count) elements, expected \(count)") }
            return try encodeElements(elements, element, path: path)
        case (.tuple(let components, _), .tuple(let values, _)):
            guard values.count == components.count else {
                throw fail("\(values.count) components, expected \(components.count)")
            }
            return try encodeSequence(values, components, path: path)
        default:
            throw fail("value \(value) has the wrong kind")
        }
    }

    /// `bytes`/`string`: a length word, then the contents right-padded with zeros to a multiple of 32.
    private static func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
        let padding = (32 - bytes.count % 32) % 32
        return UInt256(UInt64(bytes.count)).bigEndianBytes + bytes + [UInt8](repeating: 0, count: padding)
    }
}
