/// How an origin's raw output is read (`as=`): the ABI type of a call's result, or the parse of a user entry.
public enum ValueConversion: Sendable, Hashable, CustomStringConvertible {
    case uint
    case int
    case utf8
    case bool
    case address
    case bytes
    /// `eN`: a decimal number scaled by 10^N (`e18` turns "1.5" into 1500000000000000000).
    case scaled(decimals: Int)
    /// The value is looked up in the origin's `ts:mapping`.
    case mapping
    /// Decoded with the contract's `ts:abi` (2024/01), possibly a tuple.
    case abi
    /// Android's alias of utf8.
    case string

    /// Reads an `as=` value; nil for anything else so the reader can name the bad value.
    public init?(_ text: String) {
        switch text {
        case "uint": self = .uint
        case "int", "signed": self = .int
        case "utf8": self = .utf8
        case "string": self = .string
        case "bool": self = .bool
        case "address": self = .address
        case "bytes": self = .bytes
        case "mapping": self = .mapping
        case "abi": self = .abi
        default:
            guard text.count >= 2, text.first == "e", let decimals = Int(text.dropFirst()), (0...77).contains(decimals)
            else { return nil }
            self = .scaled(decimals: decimals)
        }
    }

    public var description: String {
        switch self {
        case .uint: "uint"
        case .int: "int"
        case .utf8: "utf8"
        case .string: "string"
        case .bool: "bool"
        case .address: "address"
        case .bytes: "bytes"
        case .mapping: "mapping"
        case .abi: "abi"
        case .scaled(let decimals): "e\(decimals)"
        }
    }
}
