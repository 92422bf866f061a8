import TokenScriptArithmetic
import TokenScriptEthereum
import TokenScriptModel

/// `ts:token-id`: a field of the token id, read by `as`.
enum TokenIDConversion {
    /// The bits of `tokenID` the mask selects (default: all 256), converted by `as` (default `uint`).
    static func value(of tokenID: UInt256, origin: TokenIDOrigin) throws(EvaluationError.Reason) -> AttributeValue {
        let field = BitmaskField(origin.bitmask ?? .all)
        let bits = field.extract(from: tokenID)
        switch origin.conversion ?? .uint {
        case .uint, .mapping:
            return .uint(bits)
        case .int:
            // The field is two's complement of its own width.
            let width = field.byteCount * 8
            guard width > 0, width < 256, bits >> (width - 1) == UInt256(1) else {
                return .integer(AttributeInteger(Int256(bits: bits)))
            }
            let magnitude = (UInt256(1) << width).subtractingReportingOverflow(bits).partialValue
            return .integer(AttributeInteger(negative: true, magnitude: magnitude))
        case .bool:
            return .bool(!bits.isZero)
        case .bytes, .abi:
            return .bytes(field.bytes(of: bits))
        case .utf8, .string:
            // NUL padding around a short text inside the field is not part of the text.
            let bytes = field.bytes(of: bits).drop { $0 == 0 }.reversed().drop { $0 == 0 }.reversed()
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.utf8.elementsEqual(bytes) else {
                throw .conversion("token id bits \(Hex.encode(Array(bytes))) are not UTF-8")
            }
            return .string(text)
        case .address:
            guard bits.bitWidth <= 160, let address = EthereumAddress(bytes: Array(bits.bigEndianBytes.suffix(20)))
            else {
                throw .conversion("token id field \(bits.hexDescription) is wider than an address")
            }
            return .address(address)
        case .scaled(let decimals):
            guard let scaled = DecimalScaling.multiply(bits, byPowerOfTen: decimals) else {
                throw .conversion("token id field × 10^\(decimals) exceeds 256 bits")
            }
            return .uint(scaled)
        }
    }
}
