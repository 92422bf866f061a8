import TokenScriptEthereum
import TokenScriptModel

/// Decodes `eth_call` return data by `as`, then applies `bitmask`.
enum CallResultDecoding {
    /// The ABI output types `as` stands for; `abi` takes the function's outputs from `ts:abi`.
    static func outputTypes(for conversion: ValueConversion?, abiFunction: ABIFunction?) throws(EvaluationError.Reason)
        -> [ABIType]
    {
        switch conversion ?? .uint {
        case .uint, .mapping, .scaled: return [.uint256]
        case .int: return [.int256]
        case .utf8, .string: return [.string]
        case .bool: return [.bool]
        case .address: return [.address]
        case .bytes: return [.bytes]
        case .abi:
            guard let abiFunction else { throw .abi("as=\"abi\" needs the function in the contract's ts:abi") }
            return abiFunction.outputs.map(\.type)
        }
    }

    /// The value of the return data; a single output is unwrapped, several become a structure (or a list).
    static func decode(_ data: [UInt8], conversion: ValueConversion?, abiFunction: ABIFunction?) throws(EvaluationError
        .Reason) -> AttributeValue
    {
        let types = try outputTypes(for: conversion, abiFunction: abiFunction)
        do {
            let values = try ABIDecoder.decode(types, from: data)
            if values.count == 1 { return ABIValueBridge.attributeValue(values[0]) }
            let names = abiFunction?.outputs.map(\.name)
            return ABIValueBridge.attributeValue(.tuple(values, names: conversion == .abi ? names : nil))
        } catch {
            // Old tokens (MKR, SAI) return `bytes32` where ERC-20 says `string`; read such a word as text or bytes.
            if data.count == 32, let fallback = bytes32Fallback(data, conversion: conversion) { return fallback }
            throw .decoding(error)
        }
    }

    private static func bytes32Fallback(_ word: [UInt8], conversion: ValueConversion?) -> AttributeValue? {
        switch conversion {
        case .bytes?: return .bytes(word)
        case .utf8?, .string?:
            let text = word.reversed().drop { $0 == 0 }.reversed()
            let decoded = String(decoding: text, as: UTF8.self)
            return decoded.utf8.elementsEqual(text) ? .string(decoded) : nil
        default: return nil
        }
    }

    /// `(value & mask) >> trailingZeroBits(mask)` on an unsigned integer result.
    static func applyBitmask(_ bitmask: Bitmask?, to value: AttributeValue) throws(EvaluationError.Reason)
        -> AttributeValue
    {
        guard let bitmask else { return value }
        guard case .integer(let number) = value, let unsigned = number.unsigned else {
            throw .conversion("bitmask applies to unsigned integers, not \(value.json)")
        }
        return .uint(BitmaskField(bitmask).extract(from: unsigned))
    }
}
