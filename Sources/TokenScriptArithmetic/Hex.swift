/// Hexadecimal text for byte strings, the form Ethereum uses everywhere (JSON-RPC, ABI, addresses, keys,
/// signatures) and the filter grammar's `\XX` escapes.
///
/// The package's one hex codec: it sits in this lowest module so the model, Ethereum, attestations, JSON-RPC
/// and the engine share it, and it is kept here rather than borrowed from Foundation so they stay
/// Foundation-free. Protocol-specific rules (JSON-RPC's compact QUANTITY) are thin functions over it.
public enum Hex {
    /// Lower-case hex, with a `0x` prefix unless `prefix` is false.
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes, prefix: Bool = true) -> String {
        bytes.withContiguousStorageIfAvailable { encode($0, prefix: prefix) }
            ?? Array(bytes).withUnsafeBufferPointer { encode($0, prefix: prefix) }
    }

    /// Written straight into the string's storage: signatures, keys and hashes are encoded on every request.
    private static func encode(_ bytes: UnsafeBufferPointer<UInt8>, prefix: Bool) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2 + 2) { buffer in
            var index = 0
            if prefix {
                buffer[0] = 48
                buffer[1] = 120
                index = 2
            }
            for byte in bytes {
                buffer[index] = digit(byte >> 4)
                buffer[index + 1] = digit(byte & 0x0F)
                index += 2
            }
            return index
        }
    }

    @inline(__always) private static func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 48 + nibble : 87 + nibble }

    /// Bytes from hex with or without `0x`; nil for an odd number of digits or a non-hex character.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var utf8 = Array(text.utf8)
        if utf8.count >= 2, utf8[0] == 48, utf8[1] == 120 || utf8[1] == 88 { utf8.removeFirst(2) }
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(of: utf8[index]), let low = value(of: utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The value of one hex digit (an ASCII byte), or nil.
    public static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: digit - 48
        case 97...102: digit - 87
        case 65...70: digit - 55
        default: nil
        }
    }
}
