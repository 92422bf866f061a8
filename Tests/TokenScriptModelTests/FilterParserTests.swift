import Foundation
import Testing
import TokenScriptTesting

import TokenScriptModel

// MARK: Helpers

func parsed(_ text: String) throws -> FilterExpression {
    try FilterParser.parse(text)
}

func syntaxError(_ text: String) -> FilterSyntaxError? {
    do {
        _ = try FilterParser.parse(text)
        return nil
    } catch {
        return error
    }
}

func literal(_ text: String) -> FilterValue { FilterValue(segments: [.literal(text)]) }

func compare(_ attribute: String, _ op: FilterOperator, _ value: FilterValue) -> FilterExpression {
    .comparison(FilterComparison(attribute: attribute, op: op, value: value))
}

func compare(_ attribute: String, _ op: FilterOperator, _ value: String) -> FilterExpression {
    compare(attribute, op, literal(value))
}

/// The shared corpus sits beside the project's checkout.
private let corpusDirectory = URL(filePath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appending(path: "shared/corpus/tokenscript")

func corpusFilters() throws -> [(file: String, filter: String)] {
    let files = try FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path(percentEncoded: false))
        .sorted()
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

func xmlUnescaped(_ text: String) -> String {
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
func timed(_ body: () -> Void) -> Duration {
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
            (
                "(&(level>0)(|(owner=${ownerAddress})(expired=TRUE)))",
                "(&(level>0)(|(owner=${ownerAddress})(expired=TRUE)))"
            ),
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
        #expect(
            try parsed("(a= x ${b} y )")
                == compare("a", .equal, FilterValue(segments: [.literal("x "), .reference("b"), .literal(" y")])))
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
        #expect(
            comparison.value.segments == [
                .literal("x"), .reference("b"), .literal("y"), .reference("c"), .reference("b"),
            ])
        #expect(comparison.value.referencedAttributes == ["b", "c"])
        #expect(!comparison.value.isLiteral)
        #expect(comparison.value.literalText == nil)
    }

    @Test(
        "'$' and braces that do not form a reference are plain text",
        arguments: [
            ("(a=$5)", "$5"), ("(a={b})", "{b}"), ("(a=$)", "$"), ("(a=\\24{b})", "${b}"), ("(a=x}$y)", "x}$y"),
        ])
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
        let reference = FilterValue(segments: [.reference("höhe")])
        #expect(try parsed("(größe=${höhe})") == compare("größe", .equal, reference))
    }
}
