import TokenScriptEthereum

/// The pieces of EIP-712 typed-data hashing our two typed messages need, written out by hand:
/// both types are fixed, flat structs, so a general typed-data engine would be dead weight.
enum EIP712 {
    /// `keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message))`: the digest a wallet signs.
    static func digest(domainSeparator: [UInt8], structHash: [UInt8]) -> [UInt8] {
        Keccak256.hash([0x19, 0x01] + domainSeparator + structHash)
    }

    /// `keccak256(typeHash ‖ encoded fields)`, each field already one 32-byte word.
    static func hashStruct(type: String, fields: [[UInt8]]) -> [UInt8] {
        Keccak256.hash(Keccak256.hash(utf8: type) + fields.joined())
    }

    // Field encodings (EIP-712 `encodeData`): atomic values as one ABI word, dynamic ones as their hash.
    static func word(_ number: UInt64) -> [UInt8] {
        [UInt8](repeating: 0, count: 24) + (0..<8).reversed().map { UInt8(truncatingIfNeeded: number >> ($0 * 8)) }
    }

    static func word(_ flag: Bool) -> [UInt8] { word(flag ? 1 : 0) }

    static func word(_ address: EthereumAddress) -> [UInt8] { [UInt8](repeating: 0, count: 12) + address.bytes }

    static func word(string text: String) -> [UInt8] { Keccak256.hash(utf8: text) }

    static func word(bytes: [UInt8]) -> [UInt8] { Keccak256.hash(bytes) }
}
