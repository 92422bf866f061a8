import TokenScriptEthereum

/// Decoding chain answers: the first line names the types (`(uint256,string)` decodes two values, any other
/// type one), the bytes after the newline are the answer. Any bytes decode or give an `ABIDecodingError`.
enum ABIDecodeFuzzing {
    static func run(_ bytes: [UInt8]) {
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        guard let type = try? ABIType(parsing: FuzzTarget.text(Array(bytes[..<newline]))) else { return }
        let data = newline < bytes.endIndex ? Array(bytes[(newline + 1)...]) : []
        if case .tuple(let components, _) = type {
            _ = try? ABIDecoder.decode(components, from: data)
        }
        _ = try? ABIDecoder.decode(type, from: data)
    }
}
