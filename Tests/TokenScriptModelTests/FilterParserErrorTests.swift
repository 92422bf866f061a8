import Foundation
import Testing
import TokenScriptTesting
import TokenScriptModel

/// The filter grammar's errors, hostile inputs and conformances (the rest is in FilterParserTests.swift).
extension FilterParserTests {
    // MARK: Errors

    @Test(
        "Each syntax error names the problem and its character offset",
        arguments: [
            ("", 0, "empty filter"),
            ("  \n", 0, "empty filter"),
            ("(a=1", 4, "expected ')'"),
            ("(&(a=1)b=2)", 7, "expected ')'"),
            ("(a=${b", 3, "unterminated ${"),
            ("(a=x${b)", 4, "unterminated ${"),
            ("(a=${})", 3, "empty attribute name in ${}"),
            ("(a=${b c})", 6, "invalid character ' ' in ${...}"),
            ("(a=\\zz)", 3, "invalid escape \\zz"),
            ("(a=\\4)", 3, "invalid escape \\4)"),
            ("(a=\\", 3, "invalid escape \\"),
            ("(a=x\\c3\\28)", 4, "escaped bytes \\c3\\28 are not valid UTF-8"),
            ("(a=\\ff)", 3, "escaped bytes \\ff are not valid UTF-8"),
            ("(a=\\c3)", 3, "escaped bytes \\c3 are not valid UTF-8"),
            ("(=1)", 1, "empty attribute name"),
            ("( >=1)", 2, "empty attribute name"),
            ("(~a=1)", 1, "invalid character '~' in attribute name"),
            ("(a~=1)", 2, "invalid character '~' in attribute name"),
            ("(a\u{7}=1)", 2, "invalid character '\\u{07}' in attribute name"),
            ("(a b=1)", 3, "expected an operator (=, <, >, <=, >=) after 'a'"),
            ("(expired)", 8, "expected an operator (=, <, >, <=, >=) after 'expired'"),
            ("(a", 2, "expected an operator (=, <, >, <=, >=) after 'a'"),
            ("(a=1=2)", 4, "reserved character '=' must be escaped as \\3d in a value"),
            ("(a<=<1)", 4, "reserved character '<' must be escaped as \\3c in a value"),
            ("(a=f(x))", 4, "reserved character '(' must be escaped as \\28 in a value"),
            ("(a=hi!)", 5, "reserved character '!' must be escaped as \\21 in a value"),
            ("()", 1, "expected a filter, found ')'"),
            ("(", 1, "expected a filter, found end of input"),
            ("((a=1))", 1, "unexpected '(': only '&', '|' and '!' take filters in parentheses"),
            ("(&)", 2, "'&' needs at least one filter in parentheses"),
            ("(|  )", 4, "'|' needs at least one filter in parentheses"),
            ("&", 1, "'&' needs at least one filter in parentheses"),
            ("(&a=1)", 2, "'&' needs at least one filter in parentheses"),
            ("(!a=1)", 2, "expected '(' after '!'"),
            ("!", 1, "expected '(' after '!'"),
            ("!(a=1)(b=2)", 6, "unexpected trailing input '(b=2)': '!' takes exactly one filter"),
            ("(!(a)(b))", 4, "expected an operator (=, <, >, <=, >=) after 'a'"),
            ("(!(a=1)(b=2))", 7, "expected ')'"),
            ("(a=1)(b=2)", 5, "unexpected trailing input '(b=2)': combine filters with '&' or '|'"),
            ("(a=1))", 5, "unexpected trailing input ')'"),
            ("a=1)", 3, "unexpected trailing input ')'"),
            ("(a=1) x", 6, "unexpected trailing input 'x'"),
            ("(a=1) 123456789012345678901234", 6, "unexpected trailing input '12345678901234567890…'"),
        ])
    func errors(text: String, offset: Int, message: String) {
        let error = syntaxError(text)
        #expect(error?.message == message)
        #expect(error?.offset == offset)
        #expect(error?.description == "\(message) at offset \(offset)")
    }

    @Test("Offsets count characters, not bytes or scalars")
    func characterOffsets() {
        // "é" is one scalar; "e\u{301}" is two scalars but one character; "😀" is four UTF-8 bytes.
        #expect(syntaxError("(é=\\zz)")?.offset == 3)
        #expect(syntaxError("(e\u{301}x=\\zz)")?.offset == 4)
        #expect(syntaxError("(a=😀😀\\zz)")?.offset == 5)
        #expect(syntaxError("(a=😀)x")?.offset == 5)
    }

    // MARK: Hostile input

    @Test("Nesting is accepted to 64 levels and refused beyond, at the offending parenthesis")
    func depthLimit() throws {
        func nested(_ levels: Int) -> String {
            String(repeating: "(!", count: levels - 1) + "(a=1)" + String(repeating: ")", count: levels - 1)
        }
        var expression = try parsed(nested(64))
        var levels = 1
        while case .not(let operand) = expression {
            expression = operand
            levels += 1
        }
        #expect(levels == 64)
        #expect(expression == compare("a", .equal, "1"))
        let error = syntaxError(nested(65))
        #expect(error?.message == "filter nested deeper than 64 levels")
        #expect(error?.offset == 128)
    }

    @Test(
        "Hostile inputs fail or succeed quickly, without exhausting the stack",
        arguments: [
            HostileInput("100,000 '('", parses: false) { String(repeating: "(", count: 100_000) },
            HostileInput("100,000 '(&'", parses: false) { String(repeating: "(&", count: 100_000) },
            HostileInput("100,000 '(!'", parses: false) { String(repeating: "(!", count: 100_000) },
            HostileInput("1 MB of '!'", parses: false) { String(repeating: "!", count: 1 << 20) },
            HostileInput("1 MB of ')'", parses: false) { String(repeating: ")", count: 1 << 20) },
            HostileInput("1 MB of '\\'", parses: false) { String(repeating: "\\", count: 1 << 20) },
            HostileInput("1 MB '&' list", parses: true) { "(&" + String(repeating: "(a=1)", count: 200_000) + ")" },
            HostileInput("1 MB value", parses: true) { "(a=" + String(repeating: "x y", count: 350_000) + ")" },
            HostileInput("1 MB of escapes", parses: true) {
                "(a=" + String(repeating: "\\c3\\a9", count: 170_000) + ")"
            },
            HostileInput("1 MB of references", parses: true) {
                "(a=" + String(repeating: "${b}", count: 250_000) + ")"
            },
            HostileInput("1 MB name", parses: true) { String(repeating: "n", count: 1 << 20) },
            HostileInput("1 MB then an unterminated ${", parses: false) {
                "(a=" + String(repeating: "x", count: 1 << 20) + "${b"
            },
            HostileInput("1 MB of trailing input", parses: false) {
                "(a=1)" + String(repeating: "(b=2)", count: 200_000)
            },
            HostileInput("1 MB of combining marks", parses: false) {
                "(a=" + String(repeating: "e\u{301}", count: 500_000) + "\\zz)"
            },
        ])
    func hostile(input: HostileInput) {
        let text = input.make()
        var succeeded = false
        let elapsed = timed { succeeded = (try? FilterParser.parse(text)) != nil }
        #expect(succeeded == input.parses)
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }

    @Test("Error messages stay short for huge inputs")
    func shortMessages() {
        let error = syntaxError("(a=1)" + String(repeating: "(b=2)", count: 200_000))
        #expect((error?.message.count ?? .max) < 100)
    }

    // MARK: Conformances

    @Test("An expression survives a JSON round trip")
    func codable() throws {
        let expression = try parsed("(&(level>0)(|(owner=${ownerAddress})(expired=TRUE))(!(name=Caf\\c3\\a9)))")
        let data = try JSONEncoder().encode(expression)
        #expect(try JSONDecoder().decode(FilterExpression.self, from: data) == expression)
        let error = try #require(throws: FilterSyntaxError.self) { try FilterParser.parse("(a=\\zz)") }
        #expect(try JSONDecoder().decode(FilterSyntaxError.self, from: JSONEncoder().encode(error)) == error)
    }
}
