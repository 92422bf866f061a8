/// A strict RFC 8259 reader into `AttestationValue`, for the wire form.
///
/// Stricter than JSON itself where signed bytes could otherwise become ambiguous: duplicate keys, fractions,
/// exponents, integers beyond ±(2^53 − 1) and unpaired surrogates are errors, each reported with the path
/// of the value (e.g. `payload.delay`) so a bad `.jsonl` line can be fixed.
struct JSONReader {
    private let bytes: [UInt8]
    private var position = 0

    static func read(_ text: String) throws(AttestationDecodingError) -> AttestationValue {
        var reader = JSONReader(bytes: Array(text.utf8))
        reader.skipWhitespace()
        let value = try reader.value(path: "", depth: 0)
        reader.skipWhitespace()
        guard reader.position == reader.bytes.count else { throw reader.error("", "trailing characters") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func error(_ path: String, _ reason: String) -> AttestationDecodingError {
        AttestationDecodingError(field: path.isEmpty ? "(document)" : path, reason: "\(reason) at byte \(position)")
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private mutating func expect(_ literal: String, path: String) throws(AttestationDecodingError) {
        let utf8 = Array(literal.utf8)
        guard position + utf8.count <= bytes.count, Array(bytes[position..<position + utf8.count]) == utf8 else {
            throw error(path, "invalid literal")
        }
        position += utf8.count
    }

    private mutating func value(path: String, depth: Int) throws(AttestationDecodingError) -> AttestationValue {
        guard depth <= AttestationValue.maximumDepth else { throw error(path, "nested too deeply") }
        guard let first = current else { throw error(path, "unexpected end of input") }
        switch first {
        case UInt8(ascii: "n"): try expect("null", path: path); return .null
        case UInt8(ascii: "t"): try expect("true", path: path); return .bool(true)
        case UInt8(ascii: "f"): try expect("false", path: path); return .bool(false)
        case UInt8(ascii: "\""): return .string(try string(path: path))
        case UInt8(ascii: "["): return try array(path: path, depth: depth)
        case UInt8(ascii: "{"): return try object(path: path, depth: depth)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try integer(path: path))
        default: throw error(path, "unexpected character")
        }
    }

    private mutating func array(path: String, depth: Int) throws(AttestationDecodingError) -> AttestationValue {
        position += 1
        var items: [AttestationValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try value(path: "\(path)[\(items.count)]", depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(items)
            default: throw error(path, "expected , or ]")
            }
        }
    }

    private mutating func object(path: String, depth: Int) throws(AttestationDecodingError) -> AttestationValue {
        position += 1
        var members: [String: AttestationValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error(path, "expected a member name") }
            let key = try string(path: path)
            let memberPath = path.isEmpty ? key : "\(path).\(key)"
            guard members[key] == nil else { throw error(memberPath, "duplicate key") }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error(memberPath, "expected :") }
            position += 1
            skipWhitespace()
            members[key] = try value(path: memberPath, depth: depth + 1)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(members)
            default: throw error(path, "expected , or }")
            }
        }
    }

    private mutating func integer(path: String) throws(AttestationDecodingError) -> Int64 {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, (0x30...0x39).contains(first) else { throw error(path, "invalid number") }
        position += 1
        if first != 0x30 { while let digit = current, (0x30...0x39).contains(digit) { position += 1 } }
        if let next = current, next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            throw error(path, "only integers are allowed (write fractions as strings)")
        }
        if let next = current, (0x30...0x39).contains(next) { throw error(path, "leading zero") }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let number = Int64(text), number.magnitude <= AttestationValue.maximumInteger.magnitude else {
            throw error(path, "\(text) is out of range (±(2^53-1); write larger integers as strings)")
        }
        return number
    }

    private mutating func string(path: String) throws(AttestationDecodingError) -> String {
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw error(path, "unterminated string") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: utf8, as: UTF8.self)
            case 0x00..<0x20: throw error(path, "control character in string")
            case UInt8(ascii: "\\"):
                guard let escape = current else { throw error(path, "unterminated escape") }
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8 += Array(String(try unicodeEscape(path: path)).utf8)
                default: throw error(path, "invalid escape")
                }
            default: utf8.append(byte)
            }
        }
    }

    /// `\uXXXX`, joining a surrogate pair; a lone surrogate has no UTF-8 form and is an error.
    private mutating func unicodeEscape(path: String) throws(AttestationDecodingError) -> Character {
        let high = try hex4(path: path)
        var scalar = UInt32(high)
        if (0xD800..<0xDC00).contains(high) {
            guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
            else { throw error(path, "unpaired surrogate") }
            position += 2
            let low = try hex4(path: path)
            guard (0xDC00..<0xE000).contains(low) else { throw error(path, "unpaired surrogate") }
            scalar = 0x10000 + (UInt32(high) - 0xD800) << 10 + (UInt32(low) - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error(path, "unpaired surrogate") }
        return Character(unicode)
    }

    private mutating func hex4(path: String) throws(AttestationDecodingError) -> UInt16 {
        guard position + 4 <= bytes.count else { throw error(path, "short \\u escape") }
        var result: UInt16 = 0
        for byte in bytes[position..<position + 4] {
            guard let digit = Self.hexValue(byte) else { throw error(path, "invalid \\u escape") }
            result = result << 4 | UInt16(digit)
        }
        position += 4
        return result
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x57
        case 0x41...0x46: byte - 0x37
        default: nil
        }
    }
}
