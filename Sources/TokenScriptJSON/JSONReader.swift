import TokenScriptArithmetic

/// The one strict JSON reader (RFC 8259 and nothing more), over bytes, without Foundation.
///
/// Refused, each with line, column and path: anything outside RFC 8259 (comments, trailing commas, single
/// quotes, leading zeros, `+1`, `.5`, `NaN`, a byte order mark, data after the document); invalid UTF-8
/// anywhere (overlong forms, encoded surrogates, bytes above U+10FFFF) and unpaired `\u` surrogates;
/// raw control characters in strings; duplicate member names (by bytes); integers outside `Int64` and
/// `-0`; floats that overflow; documents deeper than `Limits.maximumDepth` or larger than
/// `Limits.maximumBytes`. Refusing rather than choosing matters because two tools that resolve an
/// ambiguity differently (first or last duplicate, `1.0` as integer or float) make two replicas disagree.
public struct JSONReader {
    /// Bounds on a document, so hostile input cannot exhaust memory or the stack.
    public struct Limits: Hashable, Sendable {
        /// Arrays and objects nested deeper than this are refused (the top-level value is depth 1).
        public var maximumDepth: Int
        /// Documents longer than this many bytes are refused before reading.
        public var maximumBytes: Int

        public init(maximumDepth: Int = 128, maximumBytes: Int = 8 << 20) {
            self.maximumDepth = maximumDepth
            self.maximumBytes = maximumBytes
        }
    }

    private let bytes: [UInt8]
    private let limits: Limits
    private var position = 0
    /// The path of the value being read, pushed and popped as the reader descends.
    private var path: [JSONPath.Component] = []

    /// Reads exactly one JSON value (surrounded only by JSON whitespace) from `bytes`.
    public static func read(_ bytes: some Collection<UInt8>, limits: Limits = .init()) throws(JSONReadError)
        -> JSONValue
    {
        guard bytes.count <= limits.maximumBytes else {
            throw JSONReadError(
                reason: "document is \(bytes.count) bytes, over the limit of \(limits.maximumBytes)",
                line: 1, column: 1, offset: 0, path: .root)
        }
        var reader = JSONReader(bytes: Array(bytes), limits: limits)
        return try reader.document()
    }

    public static func read(_ text: String, limits: Limits = .init()) throws(JSONReadError) -> JSONValue {
        try read(Array(text.utf8), limits: limits)
    }

    private init(bytes: [UInt8], limits: Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    // MARK: Errors

    private func error(_ reason: String, at offset: Int? = nil) -> JSONReadError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1
        var column = 1
        for byte in bytes[0..<offset] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONReadError(reason: reason, line: line, column: column, offset: offset, path: JSONPath(path))
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func describeCurrent() -> String {
        guard let byte = current else { return "end of input" }
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    // MARK: Structure

    private mutating func document() throws(JSONReadError) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw error("byte order mark before the document") }
        skipWhitespace()
        guard current != nil else { throw error("empty document") }
        let value = try value(depth: 0)
        skipWhitespace()
        guard current == nil else { throw error("unexpected \(describeCurrent()) after the document") }
        return value
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func value(depth: Int) throws(JSONReadError) -> JSONValue {
        guard let first = current else { throw error("unexpected end of input, expected a value") }
        switch first {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(String(decoding: try string(), as: UTF8.self))
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func literal(_ word: String) throws(JSONReadError) {
        let expected = Array(word.utf8)
        for (index, byte) in expected.enumerated() {
            guard position + index < bytes.count, bytes[position + index] == byte else {
                throw error("invalid literal, expected \(word)")
            }
        }
        position += expected.count
    }

    private mutating func enter(depth: Int) throws(JSONReadError) {
        guard depth <= limits.maximumDepth else {
            throw error("nested deeper than the limit of \(limits.maximumDepth)")
        }
        position += 1
        skipWhitespace()
    }

    private mutating func array(depth: Int) throws(JSONReadError) -> JSONValue {
        try enter(depth: depth)
        var items: [JSONValue] = []
        if current == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            path.append(.index(items.count))
            items.append(try value(depth: depth))
            path.removeLast()
            if try atEnd(of: UInt8(ascii: "]")) { return .array(items) }
        }
    }

    /// After a member or item: a comma (not followed by the closing bracket) continues, the closing
    /// bracket ends the container; anything else is an error.
    private mutating func atEnd(of close: UInt8) throws(JSONReadError) -> Bool {
        skipWhitespace()
        let bracket = Character(Unicode.Scalar(close))
        switch current {
        case UInt8(ascii: ","):
            position += 1
            skipWhitespace()
            if current == close { throw error("trailing comma before \(bracket)") }
            return false
        case close:
            position += 1
            return true
        default: throw error("unexpected \(describeCurrent()), expected , or \(bracket)")
        }
    }

    private mutating func object(depth: Int) throws(JSONReadError) -> JSONValue {
        try enter(depth: depth)
        var members: [JSONKey: JSONValue] = [:]
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            guard current == UInt8(ascii: "\"") else {
                throw error("unexpected \(describeCurrent()), expected a member name in double quotes")
            }
            let keyStart = position
            let key = JSONKey(validated: try string())
            path.append(.key(key))
            guard members[key] == nil else {
                throw error("duplicate key \(JSONWriter.quoted(key.string, escapingNonASCII: true))", at: keyStart)
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("unexpected \(describeCurrent()), expected :") }
            position += 1
            skipWhitespace()
            members[key] = try value(depth: depth)
            path.removeLast()
            if try atEnd(of: UInt8(ascii: "}")) { return .object(members) }
        }
    }

    // MARK: Numbers

    private mutating func digits() -> Int {
        let start = position
        while let byte = current, (0x30...0x39).contains(byte) { position += 1 }
        return position - start
    }

    private mutating func number() throws(JSONReadError) -> JSONValue {
        let start = position
        let negative = current == UInt8(ascii: "-")
        if negative { position += 1 }
        let integerStart = position
        guard digits() > 0 else { throw error("expected a digit after -") }
        if bytes[integerStart] == UInt8(ascii: "0"), position - integerStart > 1 {
            throw error("leading zero in a number", at: integerStart)
        }
        var isFloat = false
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw error("expected a digit after the decimal point") }
            isFloat = true
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw error("expected a digit in the exponent") }
            isFloat = true
        }
        if isFloat {
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            guard let float = Double(text), float.isFinite else {
                throw error("number \(text.prefix(40)) is beyond the range of a float", at: start)
            }
            return .float(float)
        }
        // Accumulate negatively so that Int64.min is representable.
        var magnitude: Int64 = 0
        for byte in bytes[integerStart..<position] {
            let (times10, overflowTimes) = magnitude.multipliedReportingOverflow(by: 10)
            let (next, overflowMinus) = times10.subtractingReportingOverflow(Int64(byte - 0x30))
            guard !overflowTimes, !overflowMinus else {
                throw error("integer beyond the 64-bit range (write it as a string)", at: start)
            }
            magnitude = next
        }
        if negative {
            guard magnitude != 0 else {
                throw error("-0 is not an integer (write 0, or -0.0 for the float)", at: start)
            }
            return .integer(magnitude)
        }
        guard magnitude != .min else {
            throw error("integer beyond the 64-bit range (write it as a string)", at: start)
        }
        return .integer(-magnitude)
    }

    // MARK: Strings

    /// The UTF-8 bytes of a string literal, validated; `position` is at the opening quote.
    private mutating func string() throws(JSONReadError) -> [UInt8] {
        position += 1
        var output: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return output
            case UInt8(ascii: "\\"):
                try escape(into: &output)
            case 0x00..<0x20:
                throw error("control character 0x\(String(byte, radix: 16, uppercase: true)) in a string (escape it)")
            case 0x20..<0x80:
                output.append(byte)
                position += 1
            default:
                guard let length = UTF8Validation.sequenceLength(lead: byte), position + length <= bytes.count,
                    UTF8Validation.isValidSequence(lead: byte, bytes[position + 1..<position + length])
                else { throw error("invalid UTF-8 in a string") }
                output.append(contentsOf: bytes[position..<position + length])
                position += length
            }
        }
    }

    private mutating func escape(into output: inout [UInt8]) throws(JSONReadError) {
        let start = position
        position += 1
        guard let letter = current else { throw error("unterminated string") }
        position += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(letter)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xDC00..<0xE000).contains(scalar) { throw error("unpaired low surrogate in \\u escape", at: start) }
            if (0xD800..<0xDC00).contains(scalar) {
                guard current == UInt8(ascii: "\\"), position + 1 < bytes.count,
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw error("unpaired high surrogate in \\u escape", at: start) }
                position += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw error("high surrogate not followed by a low surrogate", at: start)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            output.append(contentsOf: Unicode.Scalar(scalar)!.utf8)
        default:
            throw error("invalid escape \\\(describeCurrentByte(letter))", at: start)
        }
    }

    private func describeCurrentByte(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? String(Character(Unicode.Scalar(byte))) : "(byte 0x\(String(byte, radix: 16)))"
    }

    private mutating func hex4() throws(JSONReadError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Hex.value(of: byte) else {
                throw error("expected 4 hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}

extension JSONKey {
    /// A key from bytes the reader has already validated.
    init(validated bytes: [UInt8]) { self.bytes = bytes }
}
