import TokenScriptArithmetic
import TokenScriptEthereum
import TokenScriptModel

/// `ts:user-entry`: the text a user typed, validated and converted by `as`.
enum UserEntryConversion {
    static func value(of text: String, origin: UserEntryOrigin) throws(EvaluationError.Reason) -> AttributeValue {
        let trimmed = text.trimmingWhitespace
        switch origin.conversion ?? .utf8 {
        case .utf8, .string, .mapping:
            return .string(text)
        case .uint, .int:
            guard let integer = IntegerText.parse(trimmed) else { throw .conversion("'\(text)' is not an integer") }
            guard let bitmask = origin.bitmask else { return .integer(integer) }
            guard let unsigned = integer.unsigned else {
                throw .conversion("a bitmask needs a non-negative integer, got \(text)")
            }
            return .uint(BitmaskField(bitmask).extract(from: unsigned))
        case .scaled(let decimals):
            return .uint(try DecimalScaling.scale(trimmed, decimals: decimals))
        case .address:
            // A user-typed mixed-case address with a bad checksum is a typo: refuse it.
            guard let address = EthereumAddress(trimmed) else {
                throw .conversion("'\(text)' is not an address (or its EIP-55 checksum is wrong)")
            }
            return .address(address)
        case .bool:
            guard let value = BooleanText.parse(trimmed) else { throw .conversion("'\(text)' is not a boolean") }
            return .bool(value)
        case .bytes, .abi:
            guard let bytes = Hex.decode(trimmed) else { throw .conversion("'\(text)' is not hex bytes") }
            return .bytes(bytes)
        }
    }
}

/// Integers as written in TokenScripts, entries and filters: signed decimal, or `0x` hex.
enum IntegerText {
    static func parse(_ text: some StringProtocol) -> AttributeInteger? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt256(hex: text).map { AttributeInteger($0) } }
        return AttributeInteger(decimal: text)
    }
}

/// Booleans as the runtimes accept them: `true`/`false` in any case, and `1`/`0`.
enum BooleanText {
    static func parse(_ text: some StringProtocol) -> Bool? {
        switch text.lowercased() {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }
}

/// Contract addresses as written in TokenScripts: EIP-55, or any case when the checksum is wrong,
/// because published files contain mis-cased addresses that every runtime accepts.
enum LenientAddress {
    static func parse(_ text: some StringProtocol) -> EthereumAddress? {
        let trimmed = String(text).trimmingWhitespace
        return EthereumAddress(trimmed) ?? EthereumAddress(trimmed.lowercased())
    }
}
