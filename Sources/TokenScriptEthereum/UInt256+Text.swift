import TokenScriptArithmetic

/// Decimal and hex text for 256-bit values: JSON-RPC quantities are hex, TokenScript shows decimal.
extension UInt256: CustomStringConvertible, LosslessStringConvertible {
    /// Parses decimal digits only (no sign, no separators); nil when empty, malformed or above 2^256-1.
    public init?(_ description: String) { self.init(decimal: description) }

    public init?(decimal text: some StringProtocol) {
        guard !text.isEmpty else { return nil }
        var value = UInt256.zero
        for digit in text.utf8 {
            guard (48...57).contains(digit) else { return nil }
            let (scaled, overflow1) = value.multipliedReportingOverflow(byWord: 10)
            let (sum, overflow2) = scaled.addingReportingOverflow(UInt256(UInt64(digit - 48)))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        self = value
    }

    /// Parses hex digits with or without `0x` (at most 64 digits after leading zeros); nil otherwise.
    public init?(hex text: some StringProtocol) {
        var utf8 = Substring(text).utf8[...]
        if utf8.starts(with: [48, 120]) || utf8.starts(with: [48, 88]) { utf8 = utf8.dropFirst(2) }
        guard !utf8.isEmpty else { return nil }
        var value = UInt256.zero
        for digit in utf8 {
            guard let nibble = Hex.value(of: digit), value.bitWidth <= 252 else { return nil }
            value = (value << 4) | UInt256(UInt64(nibble))
        }
        self = value
    }

    /// Decimal digits, without leading zeros.
    public var description: String {
        guard !isZero else { return "0" }
        var digits: [UInt8] = []
        var rest = self
        while !rest.isZero {
            // 10^19 is the largest power of ten in a UInt64: 19 digits per division.
            let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: 10_000_000_000_000_000_000)
            var chunk = remainder
            for _ in 0..<19 {
                digits.append(UInt8(chunk % 10) + 48)
                chunk /= 10
                if quotient.isZero && chunk == 0 { break }
            }
            rest = quotient
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// `0x`-prefixed lower-case hex without leading zeros, as JSON-RPC quantities are written.
    public var hexDescription: String {
        let bytes = bigEndianBytes.drop { $0 == 0 }
        guard !bytes.isEmpty else { return "0x0" }
        var text = Hex.encode(bytes, prefix: false)
        if text.hasPrefix("0") { text.removeFirst() }
        return "0x" + text
    }
}
