import TokenScriptArithmetic
import TokenScriptJSON
import TokenScriptEthereum
import TokenScriptEvaluation

/// The two hex encodings of the Ethereum JSON-RPC spec, read strictly.
///
/// QUANTITY is a compact number (`0x0`, `0x1b`), DATA an even number of digits (`0x`, `0x00ab`). A node
/// that sends anything else is broken or not an Ethereum node, and a value guessed from a lenient parse
/// would end up in a wallet's UI, so both are refused with a message naming the field.
enum RPCHex {
    /// `0x` followed by 1–16 hex digits (leading zeros tolerated, but not beyond 64 bits of value).
    static func quantity(_ value: JSONRPCValue?, field: String) throws(ChainError) -> UInt64 {
        guard case .string(let text)? = value else {
            throw .malformedResponse("\(field): expected a hex quantity string, got \(value?.rpcKind ?? "nothing")")
        }
        guard text.hasPrefix("0x") || text.hasPrefix("0X"), text.utf8.count > 2 else {
            throw .malformedResponse("\(field): \(quoted(text)) is not a 0x-prefixed hex quantity")
        }
        let digits = text.dropFirst(2)
        // Hex.decode would skip a second "0x" and wants whole bytes, hence the two guards around it.
        guard !digits.contains(where: { $0 == "x" || $0 == "X" }),
            let bytes = Hex.decode(digits.utf8.count % 2 == 0 ? String(digits) : "0" + digits)
        else { throw .malformedResponse("\(field): \(quoted(text)) contains a non-hex character") }
        let significant = bytes.drop { $0 == 0 }
        guard significant.count <= 8 else { throw .malformedResponse("\(field): \(quoted(text)) exceeds 64 bits") }
        return significant.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// `0x` followed by an even number of hex digits; `byteCount`, when given, is the exact length required.
    static func data(_ value: JSONRPCValue?, field: String, byteCount: Int? = nil) throws(ChainError) -> [UInt8] {
        guard case .string(let text)? = value else {
            throw .malformedResponse("\(field): expected hex data, got \(value?.rpcKind ?? "nothing")")
        }
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else {
            throw .malformedResponse("\(field): \(quoted(text)) is missing the 0x prefix")
        }
        guard text.utf8.count % 2 == 0 else {
            throw .malformedResponse("\(field): \(quoted(text)) has an odd number of hex digits")
        }
        guard let bytes = Hex.decode(text) else {
            throw .malformedResponse("\(field): \(quoted(text)) contains a non-hex character")
        }
        if let byteCount, bytes.count != byteCount {
            throw .malformedResponse("\(field): expected \(byteCount) bytes, got \(bytes.count)")
        }
        return bytes
    }

    /// The compact QUANTITY form of a number, as requests must send it.
    static func encode(_ number: UInt64) -> String { "0x" + String(number, radix: 16) }

    /// The block parameter of `eth_call`/`eth_getLogs`.
    static func encode(_ block: BlockTag) -> String {
        switch block {
        case .latest: "latest"
        case .number(let number): encode(number)
        }
    }

    /// Hostile answers can be huge; messages quote at most the start of a value.
    static func quoted(_ text: String) -> String {
        text.count <= 80 ? "\"\(text)\"" : "\"\(text.prefix(80))…\" (\(text.utf8.count) bytes)"
    }
}
