import TokenScriptArithmetic
import TokenScriptEthereum

extension AttributeValue {
    /// The JSON form handed to card views and printed by tools.
    ///
    /// Integers are decimal strings (JavaScript numbers lose precision above 2^53), booleans JSON booleans,
    /// addresses EIP-55 strings, bytes `0x` hex, times their GeneralizedTime text, structures objects and
    /// lists arrays. Written by hand so the module needs no Foundation.
    public var json: String {
        var output = ""
        writeJSON(into: &output)
        return output
    }

    private func writeJSON(into output: inout String) {
        switch self {
        case .integer(let value): JSONText.appendString(value.description, to: &output)
        case .string(let text): JSONText.appendString(text, to: &output)
        case .bool(let value): output += value ? "true" : "false"
        case .address(let address): JSONText.appendString(address.checksummed, to: &output)
        case .bytes(let bytes): JSONText.appendString(Hex.encode(bytes), to: &output)
        case .time(let time): JSONText.appendString(time.text, to: &output)
        case .structured(let fields):
            output += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { output += "," }
                JSONText.appendString(field.name, to: &output)
                output += ":"
                field.value.writeJSON(into: &output)
            }
            output += "}"
        case .list(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.writeJSON(into: &output)
            }
            output += "]"
        }
    }
}

/// JSON string literals, escaped as RFC 8259 requires.
enum JSONText {
    static func appendString(_ text: String, to output: inout String) {
        let hex: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                output += "\\u00"
                output.append(hex[Int(scalar.value >> 4)])
                output.append(hex[Int(scalar.value & 0xF)])
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
