import Testing
import TokenScriptEvaluation
import TokenScriptModel

/// `expiry>2023` compares at the literal's precision (here: the year), as AlphaWallet iOS does; compared as
/// text, "20230615123045Z" > "2023" was true and `expiry=2023` false, the opposite of what the author meant.
@Suite("Partial dates in selection filters")
struct PartialDateFilterTests {
    /// 2023-06-15 12:30:45 UTC.
    static let expiry = "20230615123045Z"

    /// Filter, and whether it holds for `expiry`: each operator at year, year-month and day precision, then hour,
    /// minute and second.
    static let cases: [(String, Bool)] = [
        // Year.
        ("expiry>2022", true), ("expiry>2023", false), ("expiry=2023", true), ("expiry=2024", false),
        ("expiry>=2023", true), ("expiry>=2024", false), ("expiry<2023", false), ("expiry<2024", true),
        ("expiry<=2023", true), ("expiry<=2022", false),
        // Year and month.
        ("expiry>202305", true), ("expiry>202306", false), ("expiry=202306", true), ("expiry=202307", false),
        ("expiry>=202306", true), ("expiry>=202307", false), ("expiry<202306", false), ("expiry<202307", true),
        ("expiry<=202306", true), ("expiry<=202305", false),
        // Day.
        ("expiry>20230614", true), ("expiry>20230615", false), ("expiry=20230615", true), ("expiry=20230616", false),
        ("expiry>=20230615", true), ("expiry>=20230616", false), ("expiry<20230615", false),
        ("expiry<20230616", true), ("expiry<=20230615", true), ("expiry<=20230614", false),
        // Hour, minute, second: the same rule down to the full time.
        ("expiry=2023061512", true), ("expiry<2023061512", false), ("expiry>202306151229", true),
        ("expiry=202306151230", true), ("expiry=20230615123045", true), ("expiry<20230615123046", true),
        // A zoned literal is an instant: chronological, as before.
        ("expiry<20230615123046Z", true), ("expiry=20230615133045+0100", true),
    ]

    static func values(_ text: String) throws -> [String: AttributeValue] {
        ["expiry": .time(try #require(GeneralizedTime(text)))]
    }

    @Test("each operator at year, month and day precision compares the fields the literal writes", arguments: cases)
    func comparison(_ filter: String, _ expected: Bool) throws {
        let parsed = try FilterParser.parse(filter)
        #expect(SelectionEvaluation.holds(parsed, values: try Self.values(Self.expiry)) == expected, "\(filter)")
    }

    @Test("the value is cut on its own wall clock, as iOS formats it in the time's own zone")
    func ownZone() throws {
        // 2023-12-31 23:00 at UTC-5 is already 2024 in UTC; written in its own zone it is still 2023.
        let values = try Self.values("20231231230000-0500")
        #expect(SelectionEvaluation.holds(try FilterParser.parse("expiry=2023"), values: values))
        #expect(!SelectionEvaluation.holds(try FilterParser.parse("expiry>2023"), values: values))
        #expect(SelectionEvaluation.holds(try FilterParser.parse("expiry=20231231"), values: values))
        // The same instant written in UTC is 2024.
        let utc = try Self.values("20240101040000Z")
        #expect(SelectionEvaluation.holds(try FilterParser.parse("expiry=2024"), values: utc))
    }

    @Test(
        "a date literal with a field out of range makes its comparison false (as text these were all true)",
        arguments: ["expiry<202313", "expiry>20230230", "expiry<2023061524", "expiry<=20231301"])
    func outOfRange(_ filter: String) throws {
        let parsed = try FilterParser.parse(filter)
        #expect(!SelectionEvaluation.holds(parsed, values: try Self.values(Self.expiry)), "\(filter)")
        #expect(
            SelectionEvaluation.holds(try FilterParser.parse("(!(\(filter)))"), values: try Self.values(Self.expiry)))
    }

    @Test("through the evaluator: a GeneralizedTime attribute's selections follow the precision rule")
    func evaluated() async throws {
        let expiry = attribute(
            "expiry", .literal(DataArgument(type: "string", source: .literal(Self.expiry))), syntax: "24")
        var selections: [Selection] = []
        var expected: [String: Bool] = [:]
        for (index, (text, holds)) in Self.cases.enumerated() {
            let name = "s\(index)"
            selections.append(Selection(name: name, filterText: text, filter: try FilterParser.parse(text)))
            expected[name] = holds
        }
        let report = await offlineEvaluator(script([expiry], selections: selections))
            .evaluate(EvaluationContext(chainID: 1))
        #expect(report.value("expiry") == .time(try #require(GeneralizedTime(Self.expiry))))
        #expect(report.selections == expected)
    }
}
