import Foundation
import Testing
import TokenScriptTesting

import TokenScriptModel

// MARK: Helpers

private func parsed(_ text: String) throws -> FilterExpression {
    try FilterParser.parse(text)
}

private func syntaxError(_ text: String) -> FilterSyntaxError? {
    do {
        _ = try FilterParser.parse(text)
        return nil
    } catch {
        return error
    }
}

private func literal(_ text: String) -> FilterValue { FilterValue(segments: [.literal(text)]) }

private func compare(_ attribute: String, _ op: FilterOperator, _ value: FilterValue) -> FilterExpression {
    .comparison(FilterComparison(attribute: attribute, op: op, value: value))
}

private func compare(_ attribute: String, _ op: FilterOperator, _ value: String) -> FilterExpression {
    compare(attribute, op, literal(value))
}

/// The shared corpus sits beside the project's checkout.
private let corpusDirectory = URL(filePath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appending(path: "shared/corpus/tokenscript")

private func corpusFilters() throws -> [(file: String, filter: String)] {
    let files = try FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path(percentEncoded: false)).sorted()
    let attribute = #/<(?:ts:selection|ethereum:event)\b[^>]*?\bfilter="([^"]*)"/#
    let element = #/<ts:filter>([^<]*)</ts:filter>/#
    var found: [(String, String)] = []
    for file in files where file.hasSuffix(".xml") || file.hasSuffix(".tsml") {
        let text = try String(contentsOf: corpusDirectory.appending(path: file), encoding: .utf8)
        for match in text.matches(of: attribute) { found.append((file, xmlUnescaped(String(match.1)))) }
        for match in text.matches(of: element) { found.append((file, xmlUnescaped(String(match.1)))) }
    }
    return found
}

private func xmlUnescaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
        .replacingOccurrences(of: "&amp;", with: "&")
}

/// A large input built only when its test case runs, and named briefly in the test report.
struct HostileInput: Sendable, CustomTestStringConvertible {
    let label: String
    let parses: Bool
    let make: @Sendable () -> String

    init(_ label: String, parses: Bool, make: @escaping @Sendable () -> String) {
        self.label = label
        self.parses = parses
        self.make = make
    }

    var testDescription: String { label }
}

/// Runs `body` and returns how long it took, for the hostile-input tests.
private func timed(_ body: () -> Void) -> Duration {
    ContinuousClock().measure(body)
}

// MARK: Real filters

@Suite("Filter grammar")
struct FilterParserTests {
    @Test(
        "Filters written in public TokenScript files parse to the expected canonical text",
        arguments: [
            ("allowance=0", "(allowance=0)"),
            ("allowance>0", "(allowance>0)"),
            ("level=0", "(level=0)"),
            ("level>0", "(level>0)"),
            ("canLevelUp=FALSE", "(canLevelUp=FALSE)"),
            ("owner=${ownerAddress}", "(owner=${ownerAddress})"),
            ("_fromRedeemer=${ownerAddress}", "(_fromRedeemer=${ownerAddress})"),
            ("label=${tokenId}", "(label=${tokenId})"),
            ("expired=TRUE", "(expired=TRUE)"),
            ("!(balance>1000000000)", "(!(balance>1000000000))"),
            ("expired", "(expired=TRUE)"),
            ("(balance>0)", "(balance>0)"),
            ("(!(expiry>${today}))", "(!(expiry>${today}))"),
            ("(name=Caf\\c3\\a9)", "(name=Café)"),
            ("(&(level>0)(|(owner=${ownerAddress})(expired=TRUE)))", "(&(level>0)(|(owner=${ownerAddress})(expired=TRUE)))"),
        ])
    func realFilters(text: String, canonical: String) throws {
        #expect(try parsed(text).description == canonical)
    }

    @Test("Every filter in the shared corpus parses and survives a round trip", .needsShared)
    func corpus() throws {
        let filters = try corpusFilters()
        #expect(filters.count >= 100)
        for (file, text) in filters {
            do {
                let expression = try FilterParser.parse(text)
                #expect(try FilterParser.parse(expression.description) == expression, "\(file): \(text)")
            } catch {
                Issue.record("\(file): \(text): \(error)")
            }
        }
    }

    // MARK: Structure

    @Test(
        "Each operator is read, including the two-character ones",
        arguments: [
            ("(a=1)", FilterOperator.equal), ("(a<1)", .less), ("(a>1)", .greater),
            ("(a<=1)", .lessOrEqual), ("(a>=1)", .greaterOrEqual), ("a >= 1", .greaterOrEqual),
        ])
    func operators(text: String, op: FilterOperator) throws {
        #expect(try parsed(text) == compare("a", op, "1"))
    }

    @Test("Nested '&', '|' and '!' build the matching tree")
    func nesting() throws {
        let expression = try parsed("(&(level>0)(|(owner=${ownerAddress})(expired=TRUE))(!(a<=b)))")
        let owner = compare("owner", .equal, FilterValue(segments: [.reference("ownerAddress")]))
        #expect(
            expression
                == .and([
                    compare("level", .greater, "0"),
                    .or([owner, compare("expired", .equal, "TRUE")]),
                    .not(compare("a", .lessOrEqual, "b")),
                ]))
    }

    @Test("'&' and '|' may stand at the top level without parentheses")
    func unparenthesisedLists() throws {
        #expect(try parsed("&(a=1)(b=2)") == .and([compare("a", .equal, "1"), compare("b", .equal, "2")]))
        #expect(try parsed("|(a=1)") == .or([compare("a", .equal, "1")]))
    }

    @Test("Whitespace between tokens is ignored; inside a value it is kept and trimmed at the ends")
    func whitespace() throws {
        let expression = try parsed(" \n( & ( a = 1 ) (\tb <= x  y ) ( ! ( c=\\20z\\20 ) ) ) \r\n")
        #expect(
            expression
                == .and([
                    compare("a", .equal, "1"), compare("b", .lessOrEqual, "x  y"),
                    .not(compare("c", .equal, " z ")),
                ]))
        #expect(try parsed("(a=  ${b}  )") == compare("a", .equal, FilterValue(segments: [.reference("b")])))
        #expect(try parsed("(a= x ${b} y )") == compare("a", .equal, FilterValue(segments: [.literal("x "), .reference("b"), .literal(" y")])))
    }

    @Test("An empty value is an empty literal")
    func emptyValue() throws {
        let expression = try parsed("(a=)")
        guard case .comparison(let comparison) = expression else {
            Issue.record("not a comparison")
            return
        }
        #expect(comparison.value.segments.isEmpty)
        #expect(comparison.value.literalText == "")
        #expect(comparison.value.isLiteral)
        #expect(expression.description == "(a=)")
    }

    @Test("A bare name as the whole filter is the legacy shorthand for name=TRUE")
    func legacyBareName() throws {
        #expect(try parsed("expired") == compare("expired", .equal, "TRUE"))
        #expect(try parsed("  expired \n") == compare("expired", .equal, "TRUE"))
        #expect(syntaxError("(expired)")?.message == "expected an operator (=, <, >, <=, >=) after 'expired'")
        #expect(syntaxError("(&(expired))") != nil)
    }

    // MARK: Values

    @Test("References are split out of the value in order, and listed once each")
    func interpolation() throws {
        guard case .comparison(let comparison) = try parsed("(a=x${b}y${c}${b})") else {
            Issue.record("not a comparison")
            return
        }
        #expect(comparison.value.segments == [.literal("x"), .reference("b"), .literal("y"), .reference("c"), .reference("b")])
        #expect(comparison.value.referencedAttributes == ["b", "c"])
        #expect(!comparison.value.isLiteral)
        #expect(comparison.value.literalText == nil)
    }

    @Test(
        "'$' and braces that do not form a reference are plain text",
        arguments: [("(a=$5)", "$5"), ("(a={b})", "{b}"), ("(a=$)", "$"), ("(a=\\24{b})", "${b}"), ("(a=x}$y)", "x}$y")])
    func dollarAndBraces(text: String, value: String) throws {
        #expect(try parsed(text) == compare("a", .equal, value))
    }

    @Test(
        "Escapes are bytes decoded together as UTF-8, in either case of hex",
        arguments: [
            ("(a=Caf\\c3\\a9)", "Café"),
            ("(a=Caf\\C3\\A9)", "Café"),
            ("(a=\\28\\29\\26\\7c\\21\\3d\\3c\\3e)", "()&|!=<>"),
            ("(a=\\5c)", "\\"),
            ("(a=\\f0\\9f\\98\\80)", "😀"),
            ("(a=\\e6\\97\\a5\\e6\\9c\\ac)", "日本"),
            ("(a=x\\20)", "x "),
            ("(a=\\00)", "\u{0}"),
            ("(a=naïve)", "naïve"),
        ])
    func escapes(text: String, value: String) throws {
        #expect(try parsed(text) == compare("a", .equal, value))
    }

    @Test("FilterValue joins adjacent literals and drops empty ones")
    func valueNormalisation() {
        let value = FilterValue(segments: [.literal("a"), .literal(""), .literal("b"), .reference("x"), .literal("")])
        #expect(value.segments == [.literal("ab"), .reference("x")])
        #expect(FilterValue(segments: [.literal("")]).segments.isEmpty)
        #expect(literal("ab").literalText == "ab")
    }

    // MARK: Rendering

    @Test(
        "The canonical text parses back to the same expression",
        arguments: [
            "(&(level>0)(|(owner=${ownerAddress})(expired=TRUE)))", "expired", "!(balance>1000000000)",
            "(name=Caf\\c3\\a9)", "(a=\\28x\\29)", "(a=\\20lead and trail\\20)", "(a=x\\0ay)", "(a=\\5c\\24{b})",
            "(a=$${b}$)", "(a=)", "( | (a<1) (b>=2) (!(c<=${d}e)) )", "(a=😀 \\e2\\80\\8b)",
        ])
    func roundTrip(text: String) throws {
        let expression = try parsed(text)
        #expect(try parsed(expression.description) == expression)
    }

    @Test(
        "Hand-built values with awkward text render to text that parses back",
        arguments: [
            " leading", "trailing ", "  ", "\t", "a=b", "()&|!<>", "\\", "${x}", "$", "{", "line\nbreak", "\u{7f}",
            "\u{85}", "é", "e\u{301}", "😀", "}$",
        ])
    func renderingEscapes(text: String) throws {
        for value in [
            literal(text), FilterValue(segments: [.literal(text), .reference("r")]),
            FilterValue(segments: [.reference("r"), .literal(text)]),
            FilterValue(segments: [.literal(text), .reference("r"), .literal(text)]),
        ] {
            let expression = compare("a", .equal, value)
            #expect(try parsed(expression.description) == expression, "\(expression.description)")
        }
    }

    @Test("Reserved characters are escaped in lower-case hex; other text is written as is")
    func canonicalEscapes() {
        #expect(compare("a", .equal, "x(1)=y").description == "(a=x\\281\\29\\3dy)")
        #expect(compare("a", .equal, " Café ").description == "(a=\\20Café\\20)")
        #expect(compare("a", .equal, "$").description == "(a=$)")
        #expect(compare("a", .equal, "${").description == "(a=\\24{)")
    }

    // MARK: Attributes

    @Test("referencedAttributes lists compared and interpolated names in first-appearance order, once each")
    func referencedAttributes() throws {
        let expression = try parsed("(&(a=${b})(|(c=1)(a=${d}x${b}))(!(b=2))(e=${a}))")
        #expect(expression.referencedAttributes == ["a", "b", "c", "d", "e"])
        #expect(try parsed("expired").referencedAttributes == ["expired"])
    }

    @Test("Attribute names may hold letters of any script, digits, '_', '-' and '.'")
    func attributeNames() throws {
        #expect(try parsed("(_user-id.v2=1)") == compare("_user-id.v2", .equal, "1"))
        #expect(try parsed("(größe=${höhe})") == compare("größe", .equal, FilterValue(segments: [.reference("höhe")])))
    }

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
            HostileInput("1 MB of escapes", parses: true) { "(a=" + String(repeating: "\\c3\\a9", count: 170_000) + ")" },
            HostileInput("1 MB of references", parses: true) { "(a=" + String(repeating: "${b}", count: 250_000) + ")" },
            HostileInput("1 MB name", parses: true) { String(repeating: "n", count: 1 << 20) },
            HostileInput("1 MB then an unterminated ${", parses: false) {
                "(a=" + String(repeating: "x", count: 1 << 20) + "${b"
            },
            HostileInput("1 MB of trailing input", parses: false) { "(a=1)" + String(repeating: "(b=2)", count: 200_000) },
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
        let error = FilterSyntaxError(offset: 3, message: "invalid escape \\zz")
        #expect(try JSONDecoder().decode(FilterSyntaxError.self, from: JSONEncoder().encode(error)) == error)
    }
}
