/// Hexadecimal text for byte strings, the form Ethereum uses everywhere (JSON-RPC, ABI, addresses, keys,
/// signatures) and the filter grammar's `\XX` escapes.
///
/// The package's one hex codec: it sits in this lowest module so the model, Ethereum, attestations, JSON-RPC
/// and the engine share it, and it is kept here rather than borrowed from Foundation so they stay
/// Foundation-free. Protocol-specific rules (JSON-RPC's compact QUANTITY) are thin functions over it.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case hex, with a `0x` prefix unless `prefix` is false.
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes, prefix: Bool = true) -> String {
        var utf8: [UInt8] = prefix ? [48, 120] : []
        utf8.reserveCapacity(bytes.underestimatedCount * 2 + 2)
        for byte in bytes {
            utf8.append(digits[Int(byte >> 4)])
            utf8.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: utf8, as: UTF8.self)
    }

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
