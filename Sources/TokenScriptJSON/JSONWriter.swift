/// The one canonical JSON writer: one byte form per value, used for hashing, signing and output.
///
/// Rules: no whitespace; object members sorted by their key bytes (UTF-8 order, which is Unicode scalar
/// order); strings as raw UTF-8, escaping only `"`, `\` and control characters (`\b \t \n \f \r`, the
/// rest as `\u00xx` in lower case), as RFC 8785 (JCS) does; integers in plain decimal; floats as the
/// shortest text that reads back to the same `Double`, always with a fraction or exponent (`1.0`,
/// `-0.0`, `1e-7`, `1.5e300`) so a reader tells them from integers. Non-finite floats have no JSON form
/// and are refused, naming the path.
///
/// One exception to byte order, by parameter: attestation signatures follow RFC 8785 exactly, whose
/// member order is by UTF-16 code units (it differs from byte order only between keys with characters
/// U+E000…U+FFFF and keys with characters above U+FFFF), so signatures made by other JCS libraries verify.
public enum JSONWriter {
    /// How object members are ordered.
    public enum KeyOrder: Sendable {
        /// By UTF-8 bytes (`JSONKey`'s order): the package's canonical form.
        case utf8Bytes
        /// By UTF-16 code units, as RFC 8785 (JCS) requires: only for attestation signing bytes.
        case utf16CodeUnits
    }

    /// The canonical bytes of `value`.
    public static func canonical(_ value: JSONValue, keyOrder: KeyOrder = .utf8Bytes) throws(JSONWriteError) -> [UInt8]
    {
        var output: [UInt8] = []
        var path: [JSONPath.Component] = []
        try write(value, order: keyOrder, into: &output, path: &path)
        return output
    }

    /// The canonical text of `value` (its UTF-8 is exactly `canonical(value)`).
    public static func canonicalString(_ value: JSONValue, keyOrder: KeyOrder = .utf8Bytes) throws(JSONWriteError)
        -> String
    {
        String(decoding: try canonical(value, keyOrder: keyOrder), as: UTF8.self)
    }

    private static func sorted(_ members: [JSONKey: JSONValue], _ order: KeyOrder) -> [(key: JSONKey, value: JSONValue)]
    {
        switch order {
        case .utf8Bytes: members.sorted { $0.key < $1.key }
        case .utf16CodeUnits: members.sorted { $0.key.string.utf16.lexicographicallyPrecedes($1.key.string.utf16) }
        }
    }

    private static func write(
        _ value: JSONValue, order: KeyOrder, into output: inout [UInt8], path: inout [JSONPath.Component]
    ) throws(JSONWriteError) {
        switch value {
        case .null: output += "null".utf8
        case .bool(let flag): output += (flag ? "true" : "false").utf8
        case .integer(let number): output += String(number).utf8
        case .float(let number):
            guard let text = floatText(number) else {
                throw JSONWriteError(reason: "\(number) has no JSON form", path: JSONPath(path))
            }
            output += text.utf8
        case .string(let text): writeString(text.utf8, into: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                path.append(.index(index))
                try write(item, order: order, into: &output, path: &path)
                path.removeLast()
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in sorted(members, order).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key.bytes, into: &output)
                output.append(UInt8(ascii: ":"))
                path.append(.key(member.key))
                try write(member.value, order: order, into: &output, path: &path)
                path.removeLast()
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// The canonical text of a finite float, or nil for infinities and NaN.
    ///
    /// Swift's `description` is the shortest round-trip form; the exponent is normalised (`1e+16` →
    /// `1e16`, `1e-07` → `1e-7`) and a fraction is added where neither fraction nor exponent is present.
    public static func floatText(_ number: Double) -> String? {
        guard number.isFinite else { return nil }
        let text = number.description
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return text.contains(".") ? text : text + ".0"
        }
        var exponent = text[text.index(after: e)...]
        var sign = ""
        if exponent.first == "+" { exponent = exponent.dropFirst() }
        if exponent.first == "-" { sign = "-"; exponent = exponent.dropFirst() }
        let digits = exponent.drop(while: { $0 == "0" })
        return String(text[..<e]) + "e" + sign + (digits.isEmpty ? "0" : String(digits))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A quoted, escaped string: the canonical form, or with every non-ASCII scalar and DEL as `\uXXXX`
    /// (`escapingNonASCII`) for messages that must show invisible or look-alike characters plainly.
    public static func quoted(_ text: String, escapingNonASCII: Bool = false) -> String {
        var output: [UInt8] = []
        guard escapingNonASCII else {
            writeString(text.utf8, into: &output)
            return String(decoding: output, as: UTF8.self)
        }
        output.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            if scalar.value < 0x7F {
                var one: [UInt8] = []
                writeString(CollectionOfOne(UInt8(scalar.value)), into: &one)
                output += one.dropFirst().dropLast()
            } else {
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    output += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
                }
            }
        }
        output.append(UInt8(ascii: "\""))
        return String(decoding: output, as: UTF8.self)
    }

    static func writeString(_ utf8: some Sequence<UInt8>, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in utf8 {
            switch byte {
            case 0x22: output += [0x5C, 0x22]
            case 0x5C: output += [0x5C, 0x5C]
            case 0x08: output += [0x5C, UInt8(ascii: "b")]
            case 0x09: output += [0x5C, UInt8(ascii: "t")]
            case 0x0A: output += [0x5C, UInt8(ascii: "n")]
            case 0x0C: output += [0x5C, UInt8(ascii: "f")]
            case 0x0D: output += [0x5C, UInt8(ascii: "r")]
            case 0x00..<0x20:
                output += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
