import TokenScriptArithmetic

/// A value of some `ABIType`: what calls take as arguments and what decoding returns.
///
/// Values do not carry their type; encoding checks each value against the type it is given.
/// Tuples may carry component names (copied from the type when decoding) so callers such as the
/// TokenScript `as="abi"` origin can present them as objects; names do not affect equality of encodings.
public indirect enum ABIValue: Hashable, Sendable {
    case uint(UInt256)
    case int(Int256)
    case bool(Bool)
    case address(EthereumAddress)
    /// `bytesN`: exactly N bytes.
    case fixedBytes([UInt8])
    case bytes([UInt8])
    case string(String)
    /// `T[]` or `T[k]`.
    case array([ABIValue])
    case tuple([ABIValue], names: [String]? = nil)

    /// The value of the named tuple component, when this is a tuple with names.
    public subscript(field name: String) -> ABIValue? {
        guard case .tuple(let values, let names?) = self, let index = names.firstIndex(of: name) else { return nil }
        return values[index]
    }

    /// This value with tuple names dropped at every level, for comparing values regardless of names.
    public var unnamed: ABIValue {
        switch self {
        case .array(let values): .array(values.map(\.unnamed))
        case .tuple(let values, _): .tuple(values.map(\.unnamed))
        default: self
        }
    }
}

extension ABIValue: CustomStringConvertible {
    /// A compact, human-readable form: decimal integers, EIP-55 addresses, `0x` hex bytes, quoted strings.
    public var description: String {
        switch self {
        case .uint(let value): value.description
        case .int(let value): value.description
        case .bool(let value): value ? "true" : "false"
        case .address(let address): address.checksummed
        case .fixedBytes(let bytes), .bytes(let bytes): Hex.encode(bytes)
        case .string(let text): "\"" + text + "\""
        case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .tuple(let values, let names):
            "("
                + values.enumerated().map { index, value in
                    if let name = names?[index], !name.isEmpty { return name + ": " + value.description }
                    return value.description
                }.joined(separator: ", ") + ")"
        }
    }
}
