import Testing
import TokenScriptJSON

/// One hostile document, what must be said about it, and where.
struct HostileJSON: CustomTestStringConvertible, Sendable {
    let label: String
    let bytes: [UInt8]
    let line: Int
    let column: Int
    let reason: String
    var path: String = "(document)"

    var testDescription: String { label }

    init(_ label: String, _ text: String, line: Int = 1, column: Int, _ reason: String, path: String = "(document)") {
        self.init(label, Array(text.utf8), line: line, column: column, reason, path: path)
    }

    init(_ label: String, _ bytes: [UInt8], line: Int = 1, column: Int, _ reason: String, path: String = "(document)") {
        self.label = label
        self.bytes = bytes
        self.line = line
        self.column = column
        self.reason = reason
        self.path = path
    }
}

@Suite("The strict JSON reader refuses hostile documents with line, column and path")
struct JSONReaderHostileTests {
    static let table: [HostileJSON] = [
        HostileJSON("duplicate key", #"{"a":1,"a":2}"#, column: 8, "duplicate key \"a\"", path: "a"),
        HostileJSON(
            "duplicate key deep, on line 3", "{\"x\": [\n  {},\n  {\"k\": 1, \"k\": 1}]}", line: 3, column: 12,
            "duplicate key", path: "x[1].k"),
        HostileJSON(
            "duplicate key spelled with an escape", #"{"é":1,"\u00e9":2}"#, column: 8, "duplicate key",
            path: #"["\u00e9"]"#),
        HostileJSON("trailing comma in an array", "[1,2,]", column: 6, "trailing comma"),
        HostileJSON("trailing comma in an object", #"{"a":1,}"#, column: 8, "trailing comma"),
        HostileJSON("line comment", "// hi\n1", column: 1, "unexpected '/'"),
        HostileJSON("block comment after a value", "[1 /* c */]", column: 4, "expected , or ]", path: "(document)"),
        HostileJSON("leading zero", "[01]", column: 2, "leading zero", path: "[0]"),
        HostileJSON("plus sign", "+1", column: 1, "unexpected '+'"),
        HostileJSON("bare fraction", ".5", column: 1, "unexpected '.'"),
        HostileJSON("fraction without digits", "1.", column: 3, "digit after the decimal point"),
        HostileJSON("exponent without digits", "1e+", column: 4, "digit in the exponent"),
        HostileJSON("NaN literal", "NaN", column: 1, "unexpected 'N'"),
        HostileJSON("Infinity literal", "[-Infinity]", column: 3, "digit after -", path: "[0]"),
        HostileJSON("integer just beyond Int64.max", "9223372036854775808", column: 1, "beyond the 64-bit range"),
        HostileJSON("integer just beyond Int64.min", "-9223372036854775809", column: 1, "beyond the 64-bit range"),
        HostileJSON(
            "huge integer", "{\"n\": " + String(repeating: "9", count: 400) + "}", column: 7, "beyond the 64-bit range",
            path: "n"),
        HostileJSON("float overflowing to infinity", "[1e400]", column: 2, "beyond the range of a float", path: "[0]"),
        HostileJSON("negative zero integer", "-0", column: 1, "-0 is not an integer"),
        HostileJSON("lone high surrogate", #"["\ud800"]"#, column: 3, "unpaired high surrogate", path: "[0]"),
        HostileJSON("lone low surrogate", #"["\udc00"]"#, column: 3, "unpaired low surrogate", path: "[0]"),
        HostileJSON(
            "high surrogate then a non-surrogate", #""\ud800\u0041""#, column: 2, "not followed by a low surrogate"),
        HostileJSON("invalid UTF-8 byte in a string", [0x22, 0x61, 0xFF, 0x22], column: 3, "invalid UTF-8"),
        HostileJSON(
            "invalid UTF-8 in a key", [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], column: 3, "invalid UTF-8"),
        HostileJSON("overlong encoding of /", [0x22, 0xC0, 0xAF, 0x22], column: 2, "invalid UTF-8"),
        HostileJSON("UTF-8 encoded surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], column: 2, "invalid UTF-8"),
        HostileJSON("code point above U+10FFFF", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], column: 2, "invalid UTF-8"),
        HostileJSON("truncated UTF-8 at the end", [0x22, 0xE2, 0x82], column: 2, "invalid UTF-8"),
        HostileJSON("raw NUL in a string", [0x22, 0x61, 0x00, 0x22], column: 3, "control character 0x0"),
        HostileJSON("raw newline in a string", "[\"a\nb\"]", column: 4, "control character 0xA", path: "[0]"),
        HostileJSON("NUL after the document", [0x31, 0x00], column: 2, "after the document"),
        HostileJSON("trailing garbage", "{} {}", column: 4, "unexpected '{' after the document"),
        HostileJSON("byte order mark", [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], column: 1, "byte order mark"),
        HostileJSON("empty document", "  ", column: 3, "empty document"),
        HostileJSON("single quotes", "['a']", column: 2, "unexpected '''", path: "[0]"),
        HostileJSON("unquoted key", "{a:1}", column: 2, "member name in double quotes"),
        HostileJSON("invalid escape", #""\x41""#, column: 2, "invalid escape \\x"),
        HostileJSON("short unicode escape", #""\u12""#, column: 6, "4 hex digits"),
        HostileJSON("unterminated string", #"{"a":"b"#, column: 8, "unterminated string", path: "a"),
        HostileJSON("truncated literal", "[tru", column: 2, "expected true", path: "[0]"),
        HostileJSON(
            "deep nesting", String(repeating: "[", count: 100_000), column: 129, "nested deeper than the limit of 128",
            path: "[0]" + String(repeating: "[0]", count: 127)),
        HostileJSON(
            "column counts scalars, not bytes", "[\"é€😀\", x]", column: 9, "expected a value",
            path: "[1]"),
        HostileJSON(
            "10 MB string over the default size limit", "\"" + String(repeating: "a", count: 10_000_000) + "\"",
            column: 1, "over the limit of 8388608"),
    ]

    @Test("each hostile document gives an error with its line, column, path and reason", arguments: table)
    func refused(_ hostile: HostileJSON) {
        #expect(throws: JSONReadError.self) { try JSONReader.read(hostile.bytes) }
        do {
            _ = try JSONReader.read(hostile.bytes)
        } catch {
            #expect(error.line == hostile.line)
            #expect(error.column == hostile.column)
            #expect(error.reason.contains(hostile.reason), "\(error.reason)")
            #expect(error.path.description == hostile.path)
            #expect(error.description.hasPrefix("line \(hostile.line), column \(hostile.column) ("))
        }
    }

    @Test("the limits are configurable: a 10 MB string reads with a larger size limit, depth 3 refuses [[[[]]]]")
    func configurableLimits() throws {
        let big = "\"" + String(repeating: "a", count: 10_000_000) + "\""
        let value = try JSONReader.read(Array(big.utf8), limits: .init(maximumBytes: 16 << 20))
        #expect(value.stringValue?.utf8.count == 10_000_000)
        #expect(throws: JSONReadError.self) { try JSONReader.read("[[[[]]]]", limits: .init(maximumDepth: 3)) }
        #expect(try JSONReader.read("[[[]]]", limits: .init(maximumDepth: 3)) == [[[]]])
    }
}
