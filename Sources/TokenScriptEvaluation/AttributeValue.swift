import TokenScriptArithmetic
import TokenScriptEthereum

/// The typed value of an evaluated attribute.
///
/// Typed rather than stringly, so that selections compare numbers as numbers and addresses without
/// regard to case, and so `ts:data ref` paths can walk into structures decoded with `as="abi"`.
public indirect enum AttributeValue: Hashable, Sendable {
    /// Any `uintN`/`intN`, token-id fields and scaled user entries.
    case integer(AttributeInteger)
    case string(String)
    case bool(Bool)
    case address(EthereumAddress)
    case bytes([UInt8])
    case time(GeneralizedTime)
    /// A tuple with named components (`as="abi"`), in declaration order.
    case structured([AttributeField])
    /// An array, or a tuple without component names.
    case list([AttributeValue])

    /// Shorthand for a non-negative integer.
    public static func uint(_ value: UInt256) -> AttributeValue { .integer(AttributeInteger(value)) }

    /// The text form used as a `ts:mapping` key and for `${…}` interpolation: decimal integers,
    /// EIP-55 addresses, `0x` hex bytes, `true`/`false`; structures in their JSON form.
    public var text: String {
        switch self {
        case .integer(let value): value.description
        case .string(let text): text
        case .bool(let value): value ? "true" : "false"
        case .address(let address): address.checksummed
        case .bytes(let bytes): Hex.encode(bytes)
        case .time(let time): time.text
        case .structured, .list: json
        }
    }

    /// The value of a named field of a structure.
    public subscript(field name: String) -> AttributeValue? {
        guard case .structured(let fields) = self else { return nil }
        return fields.first { $0.name == name }?.value
    }

    /// The element at `index` of a list, or the `index`-th field of a structure.
    public subscript(index index: Int) -> AttributeValue? {
        switch self {
        case .list(let values): values.indices.contains(index) ? values[index] : nil
        case .structured(let fields): fields.indices.contains(index) ? fields[index].value : nil
        default: nil
        }
    }
}

/// One named component of a structured value.
public struct AttributeField: Hashable, Sendable {
    public var name: String
    public var value: AttributeValue

    public init(name: String, value: AttributeValue) {
        self.name = name
        self.value = value
    }
}

extension AttributeValue: CustomStringConvertible {
    public var description: String { text }
}
