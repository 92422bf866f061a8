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
        output.reserveCapacity(256)
        guard write(value, order: keyOrder, into: &output) else {
            let found = firstNonFinite(value)
            throw JSONWriteError(reason: "\(found?.number ?? .nan) has no JSON form", path: JSONPath(found?.path ?? []))
        }
        return output
    }

    /// Appends the canonical bytes of `value` to `output` (for callers that frame them, such as a hash input).
    public static func canonical(
        _ value: JSONValue, appendingTo output: inout [UInt8], keyOrder: KeyOrder = .utf8Bytes
    ) throws(JSONWriteError) {
        let start = output.count
        guard write(value, order: keyOrder, into: &output) else {
            output.removeSubrange(start...)
            _ = try canonical(value, keyOrder: keyOrder)  // throws, naming the path
            return
        }
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

    /// Writes `value`; false when it holds a non-finite float (the output is then incomplete). The path of
    /// the offending float is looked for only then (`firstNonFinite`), so writing keeps no path.
    private static func write(_ value: JSONValue, order: KeyOrder, into output: inout [UInt8]) -> Bool {
        switch value {
        case .null: output += "null".utf8
        case .bool(let flag): output += (flag ? "true" : "false").utf8
        case .integer(let number): writeInteger(number, into: &output)
        case .float(let number):
            guard let text = floatText(number) else { return false }
            output += text.utf8
        case .string(let text): writeString(text.utf8, into: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                guard write(item, order: order, into: &output) else { return false }
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in sorted(members, order).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key.bytes, into: &output)
                output.append(UInt8(ascii: ":"))
                guard write(member.value, order: order, into: &output) else { return false }
            }
            output.append(UInt8(ascii: "}"))
        }
        return true
    }

    /// The first non-finite float in `value` (members in key order) and its path.
    private static func firstNonFinite(_ value: JSONValue) -> (number: Double, path: [JSONPath.Component])? {
        switch value {
        case .float(let number) where !number.isFinite: return (number, [])
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstNonFinite(item) { return (found.number, [.index(index)] + found.path) }
            }
        case .object(let members):
            for member in sorted(members, .utf8Bytes) {
                if let found = firstNonFinite(member.value) { return (found.number, [.key(member.key)] + found.path) }
            }
        default: break
        }
        return nil
    }

    /// Decimal digits of `number`, without building a `String`.
    static func writeInteger(_ number: Int64, into output: inout [UInt8]) {
        if number < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        guard magnitude > 0 else { return output.append(UInt8(ascii: "0")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            output.append(contentsOf: buffer[(24 - count)...])
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
        // Most strings need no escape: copied in one piece when their bytes are contiguous.
        let copied: Bool? = utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
            output.append(contentsOf: bytes)
            return true
        }
        if copied != true { writeEscaped(utf8, into: &output) }
        output.append(UInt8(ascii: "\""))
    }

    private static func writeEscaped(_ utf8: some Sequence<UInt8>, into output: inout [UInt8]) {
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
    }
}
