/// The tokens of a Lua chunk, as much as `validate`'s static checks need: names, string literals (with their
/// value when it is plain), numbers and symbols, each with its chunk line. Comments and long brackets are
/// skipped whole, so a `{` inside a string or a comment is never taken for a table.
struct LuaToken: Hashable {
    enum Kind: Hashable {
        case name(String)
        /// A string literal; `value` is nil when it holds escapes other than `\\`, `\"`, `\'`, `\n`, `\t`.
        case string(value: String?)
        case number
        case symbol(String)
    }

    var kind: Kind
    /// 1-based line within the chunk.
    var line: Int

    var name: String? { if case .name(let name) = kind { name } else { nil } }
    func isSymbol(_ text: String) -> Bool { kind == .symbol(text) }
}

enum LuaTokenizer {
    /// The tokens of `text`; nil when the text is not lexically Lua (an unfinished string or comment), which the
    /// compile check reports.
    static func tokens(_ text: String) -> [LuaToken]? {
        let bytes = Array(text.utf8)
        var tokens: [LuaToken] = []
        var index = 0
        var line = 1
        func peek(_ offset: Int = 0) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                index += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                index += 1
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                index += 2
                if let level = longBracketLevel(bytes, at: index) {
                    guard skipLongBracket(bytes, level: level, index: &index, line: &line) else { return nil }
                } else {
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                }
            case UInt8(ascii: "["):
                if let level = longBracketLevel(bytes, at: index) {
                    let start = line
                    guard skipLongBracket(bytes, level: level, index: &index, line: &line) else { return nil }
                    tokens.append(LuaToken(kind: .string(value: nil), line: start))
                } else {
                    tokens.append(LuaToken(kind: .symbol("["), line: line))
                    index += 1
                }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let string = quotedString(bytes, index: &index, line: &line)
                guard string.closed else { return nil }
                tokens.append(LuaToken(kind: .string(value: string.plain), line: line))
            case _ where isNameStart(byte):
                let start = index
                while index < bytes.count, isNameStart(bytes[index]) || isDigit(bytes[index]) { index += 1 }
                tokens.append(LuaToken(kind: .name(String(decoding: bytes[start..<index], as: UTF8.self)), line: line))
            case _ where isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(isDigit) == true):
                // Numbers, hex and exponents included: letters, digits, dots and a sign after an exponent.
                index += 1
                while index < bytes.count {
                    let next = bytes[index]
                    let signAfterExponent =
                        (next == UInt8(ascii: "+") || next == UInt8(ascii: "-"))
                        && [UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "p"), UInt8(ascii: "P")].contains(
                            bytes[index - 1])
                    guard isNameStart(next) || isDigit(next) || next == UInt8(ascii: ".") || signAfterExponent else {
                        break
                    }
                    index += 1
                }
                tokens.append(LuaToken(kind: .number, line: line))
            default:
                let pair = peek(1).map { String(decoding: [byte, $0], as: UTF8.self) } ?? ""
                if ["==", "~=", "<=", ">=", "..", "::", "//", "<<", ">>"].contains(pair) {
                    tokens.append(LuaToken(kind: .symbol(pair), line: line))
                    index += 2
                } else {
                    tokens.append(LuaToken(kind: .symbol(String(decoding: [byte], as: UTF8.self)), line: line))
                    index += 1
                }
            }
        }
        return tokens
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// The level of a long bracket `[==[` opening at `index`, or nil.
    private static func longBracketLevel(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
        var level = 0
        var at = index + 1
        while at < bytes.count, bytes[at] == UInt8(ascii: "=") {
            level += 1
            at += 1
        }
        return at < bytes.count && bytes[at] == UInt8(ascii: "[") ? level : nil
    }

    /// Moves past a long bracket of `level` opening at `index`; false when it never closes.
    private static func skipLongBracket(_ bytes: [UInt8], level: Int, index: inout Int, line: inout Int) -> Bool {
        let closing = [UInt8(ascii: "]")] + Array(repeating: UInt8(ascii: "="), count: level) + [UInt8(ascii: "]")]
        index += level + 2
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            if bytes[index] == UInt8(ascii: "]"), bytes[index...].starts(with: closing) {
                index += closing.count
                return true
            }
            index += 1
        }
        return false
    }

    /// Reads a quoted string starting at `index`: its plain value (nil with other escapes), and whether it closes.
    private static func quotedString(
        _ bytes: [UInt8], index: inout Int, line: inout Int
    ) -> (plain: String?, closed: Bool) {
        let quote = bytes[index]
        index += 1
        var value: [UInt8] = []
        var plain = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                index += 1
                return (plain ? String(decoding: value, as: UTF8.self) : nil, true)
            }
            if byte == UInt8(ascii: "\n") { return (nil, false) }
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                let escaped = bytes[index + 1]
                switch escaped {
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): value.append(escaped)
                case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "\n"):
                    line += 1
                    plain = false
                default: plain = false
                }
                index += 2
                continue
            }
            value.append(byte)
            index += 1
        }
        return (nil, false)
    }
}
