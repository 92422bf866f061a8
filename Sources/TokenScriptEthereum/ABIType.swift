/// A Solidity ABI type, as named in function signatures, JSON ABIs and TokenScript `ts:data` elements.
///
/// Tuples may carry component names (from a JSON ABI) so decoded values can be shown as objects; names
/// never affect the encoding or the canonical `description`.
public indirect enum ABIType: Hashable, Sendable {
    case uint(bits: Int)
    case int(bits: Int)
    case address
    case bool
    /// `bytes1`…`bytes32`.
    case fixedBytes(Int)
    case bytes
    case string
    /// `T[]`.
    case array(ABIType)
    /// `T[k]`, k ≥ 1.
    case fixedArray(ABIType, Int)
    /// `(T1,T2,…)`; `names`, when present, has one entry per component ("" for an unnamed one).
    case tuple([ABIType], names: [String]? = nil)

    public static let uint256 = ABIType.uint(bits: 256)
    public static let int256 = ABIType.int(bits: 256)
    public static let bytes32 = ABIType.fixedBytes(32)

    /// Dynamic types are encoded in the tail and referenced by an offset in the head.
    public var isDynamic: Bool {
        switch self {
        case .bytes, .string, .array: true
        case .fixedArray(let element, _): element.isDynamic
        case .tuple(let components, _): components.contains { $0.isDynamic }
        default: false
        }
    }

    /// Bytes this type occupies in a head: 32 for dynamic types (the offset), the full inline size otherwise.
    public var headSize: Int {
        switch self {
        case _ where isDynamic: 32
        case .fixedArray(let element, let count): element.headSize * count
        case .tuple(let components, _): components.reduce(0) { $0 + $1.headSize }
        default: 32
        }
    }

    /// Nesting depth: 1 for an elementary type, +1 per array or tuple level.
    public var depth: Int {
        switch self {
        case .array(let element), .fixedArray(let element, _): 1 + element.depth
        case .tuple(let components, _): 1 + (components.map(\.depth).max() ?? 0)
        default: 1
        }
    }
}

extension ABIType: CustomStringConvertible {
    /// The canonical form used in signatures: `uint256` not `uint`, tuples spelled out, no names.
    public var description: String {
        switch self {
        case .uint(let bits): "uint\(bits)"
        case .int(let bits): "int\(bits)"
        case .address: "address"
        case .bool: "bool"
        case .fixedBytes(let size): "bytes\(size)"
        case .bytes: "bytes"
        case .string: "string"
        case .array(let element): "\(element)[]"
        case .fixedArray(let element, let count): "\(element)[\(count)]"
        case .tuple(let components, _): "(" + components.map(\.description).joined(separator: ",") + ")"
        }
    }
}
