import TokenScriptArithmetic
import TokenScriptEthereum

/// Conversions between decoded ABI values and attribute values, in both directions.
///
/// Decoding keeps everything (names of tuple components become field names); encoding coerces the way
/// iOS's `AssetAttributeValueUsableAsFunctionArguments` does, so a `ref` to a string attribute can feed
/// an `address` or `uint256` argument.
enum ABIValueBridge {
    /// The attribute value of a decoded ABI value; a tuple whose components all have names is structured.
    static func attributeValue(_ value: ABIValue) -> AttributeValue {
        switch value {
        case .uint(let number): .uint(number)
        case .int(let number): .integer(AttributeInteger(number))
        case .bool(let flag): .bool(flag)
        case .address(let address): .address(address)
        case .fixedBytes(let bytes), .bytes(let bytes): .bytes(bytes)
        case .string(let text): .string(text)
        case .array(let values): .list(values.map(attributeValue))
        case .tuple(let values, let names):
            if let names, names.count == values.count, !names.contains("") {
                .structured(zip(names, values).map { AttributeField(name: $0, value: attributeValue($1)) })
            } else {
                .list(values.map(attributeValue))
            }
        }
    }

    /// The ABI value of `value` for an argument of `type`, coercing text, numbers and booleans.
    static func abiValue(_ value: AttributeValue, as type: ABIType) throws(EvaluationError.Reason) -> ABIValue {
        let converted = try coerce(value, as: type)
        switch (type, converted) {
        case (.uint(let bits), .uint(let number)) where number.bitWidth > bits:
            throw .conversion("\(value.json) does not fit \(type)")
        case (.int(let bits), .int(let number)) where !number.fits(bits: bits):
            throw .conversion("\(value.json) does not fit \(type)")
        default:
            return converted
        }
    }

    private static func coerce(_ value: AttributeValue, as type: ABIType) throws(EvaluationError.Reason) -> ABIValue {
        func refuse() -> EvaluationError.Reason { .conversion("cannot pass \(value.json) as \(type)") }
        switch (type, value) {
        case (.uint, .integer), (.uint, .string):
            guard let unsigned = integer(value)?.unsigned else { throw refuse() }
            return .uint(unsigned)
        case (.uint, .bool(let flag)):
            return .uint(flag ? 1 : 0)
        case (.uint, .address(let address)):
            return .uint(UInt256(bigEndian: address.bytes)!)
        case (.uint, .bytes(let bytes)) where bytes.count <= 32:
            return .uint(UInt256(bigEndian: bytes)!)
        case (.int, .integer), (.int, .string):
            guard let signed = integer(value)?.signed else { throw refuse() }
            return .int(signed)
        case (.address, .address(let address)):
            return .address(address)
        case (.address, .string(let text)):
            guard let address = LenientAddress.parse(text) else { throw refuse() }
            return .address(address)
        case (.address, .bytes(let bytes)):
            guard let address = EthereumAddress(bytes: bytes) else { throw refuse() }
            return .address(address)
        case (.address, .integer(let number)):
            guard let unsigned = number.unsigned, unsigned.bitWidth <= 160 else { throw refuse() }
            return .address(EthereumAddress(bytes: Array(unsigned.bigEndianBytes.suffix(20)))!)
        case (.bool, .bool(let flag)):
            return .bool(flag)
        case (.bool, .string(let text)):
            guard let flag = BooleanText.parse(text.trimmingWhitespace) else { throw refuse() }
            return .bool(flag)
        case (.bool, .integer(let number)):
            guard number == .zero || number == AttributeInteger(1) else { throw refuse() }
            return .bool(number != .zero)
        case (.fixedBytes(let size), _):
            return .fixedBytes(try fixedBytes(value, size: size, refuse: refuse()))
        case (.bytes, .bytes(let bytes)):
            return .bytes(bytes)
        case (.bytes, .string(let text)):
            return .bytes(Hex.decode(text.trimmingWhitespace) ?? Array(text.utf8))
        case (.string, _):
            return .string(value.text)
        case (.array(let element), .list(let values)):
            return .array(try values.map { item throws(EvaluationError.Reason) in try abiValue(item, as: element) })
        case (.fixedArray(let element, let count), .list(let values)) where values.count == count:
            return .array(try values.map { item throws(EvaluationError.Reason) in try abiValue(item, as: element) })
        case (.tuple(let components, let names), .structured(let fields)) where fields.count == components.count:
            var values: [ABIValue] = []
            for (index, component) in components.enumerated() {
                // By name when the ABI names its components, else by position.
                let name = names?[index] ?? ""
                let field =
                    name.isEmpty
                    ? fields[index].value : (fields.first { $0.name == name }?.value ?? fields[index].value)
                values.append(try abiValue(field, as: component))
            }
            return .tuple(values, names: names)
        case (.tuple(let components, let names), .list(let items)) where items.count == components.count:
            var values: [ABIValue] = []
            for (item, component) in zip(items, components) { values.append(try abiValue(item, as: component)) }
            return .tuple(values, names: names)
        default:
            throw refuse()
        }
    }

    /// An integer, or decimal/hex text read as one: what `uintN` and `intN` arguments accept.
    private static func integer(_ value: AttributeValue) -> AttributeInteger? {
        switch value {
        case .integer(let number): number
        case .string(let text): IntegerText.parse(text.trimmingWhitespace)
        default: nil
        }
    }

    /// `bytesN` from bytes (right-padded, as Solidity pads), hex text, or an integer (left-padded).
    private static func fixedBytes(_ value: AttributeValue, size: Int, refuse: EvaluationError.Reason)
        throws(EvaluationError.Reason) -> [UInt8]
    {
        switch value {
        case .bytes(let bytes) where bytes.count <= size:
            return bytes + [UInt8](repeating: 0, count: size - bytes.count)
        case .string(let text):
            guard let bytes = Hex.decode(text.trimmingWhitespace), bytes.count <= size else { throw refuse }
            return bytes + [UInt8](repeating: 0, count: size - bytes.count)
        case .integer(let number):
            guard let unsigned = number.unsigned, unsigned.bitWidth <= size * 8 else { throw refuse }
            return Array(unsigned.bigEndianBytes.suffix(size))
        default:
            throw refuse
        }
    }
}
