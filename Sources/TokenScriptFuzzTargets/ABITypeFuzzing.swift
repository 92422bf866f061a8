import TokenScriptEthereum

/// Solidity type strings: any text is a type or an `ABITypeError`.
enum ABITypeFuzzing {
    static func run(_ bytes: [UInt8]) {
        let text = FuzzTarget.text(bytes)
        _ = try? ABIType(parsing: text)
        _ = try? ABIType(base: .uint(bits: 256), arraySuffix: text)
    }
}
