import Testing
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptModel

/// Selection filters compare by the attribute's type, not as strings.
@Suite("Typed selection comparison")
struct SelectionEvaluationTests {
    static let holder = EthereumAddress("0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF")!
    static let values: [String: AttributeValue] = [
        "level": .int(10), "debt": .int(-3), "big": .uint(UInt256.max),
        "holder": .address(holder), "owner": .address(holder),
        "expired": .bool(true), "name": .string("Zoe"), "ten": .string("10"),
        "when": .time(GeneralizedTime("20260101000000Z")!), "data": .bytes([0x01, 0x00]),
        "info": .structured([AttributeField(name: "x", value: .int(1))]),
    ]

    @Test(
        "filters evaluate with typed comparison",
        arguments: [
            // Numbers compare as numbers: engine-js says "10" > "9" is false.
            ("level>9", true), ("level<9", false), ("level>=10", true), ("level<=10", true), ("level=010", true),
            ("level=0xa", true), ("level>nine", false), ("debt<0", true), ("debt>-4", true),
            ("big>115792089237316195423570985008687907853269984665640564039457584007913129639934", true),
            // Addresses: = only, any case.
            ("holder=0x2b5ad5c4795c026514f8317c7a215e218dccd6cf", true), ("holder=${owner}", true),
            ("holder>0x00", false), ("holder=0x1234", false),
            // Booleans against TRUE/FALSE.
            ("expired=TRUE", true), ("expired=true", true), ("expired=FALSE", false), ("expired=1", false),
            ("expired", true),
            // Strings lexicographically: a string "10" stays a string.
            ("name=Zoe", true), ("name>Adam", true), ("ten<9", true),
            // Times chronologically, bytes by value.
            ("when<20260101000001Z", true), ("when=20260101010000+0100", true), ("data=0x0100", true),
            ("data>0x00ff", true),
            // Unknown attributes and unresolved ${refs} make the comparison false, and its negation true.
            ("nobody=1", false), ("(!(nobody=1))", true), ("level=${nobody}", false), ("info=1", false),
            ("(&(level>1)(expired=TRUE)(|(name=Bob)(debt<0)))", true), ("(&(level>1)(!(expired=TRUE)))", false),
        ])
    func holds(_ text: String, _ expected: Bool) throws {
        let filter = try FilterParser.parse(text)
        #expect(SelectionEvaluation.holds(filter, values: Self.values) == expected, "\(text)")
    }

    @Test("an excluding selection disables a card with its label as the reason; unknown selections fail closed")
    func cards() async {
        let level = attribute("level", .literal(DataArgument(type: "uint8", source: .literal("10"))), syntax: "27")
        let selections = [
            Selection(
                name: "high",
                label: LocalizedText([
                    .init(language: "en", text: "Level too high"),
                    .init(language: "de", text: "Stufe zu hoch"),
                ]),
                filterText: "level>9", filter: try? FilterParser.parse("level>9")),
            Selection(name: "low", filterText: "level<9", filter: try? FilterParser.parse("level<9")),
        ]
        let cards = [
            Card(name: "blocked", kind: .action, exclude: ["low", "high"]),
            Card(name: "open", kind: .action, exclude: ["low"]),
            Card(name: "typo", kind: .action, exclude: ["hihg"]),
        ]
        let evaluator = offlineEvaluator(script([level], cards: cards, selections: selections))
        let report = await evaluator.evaluate(EvaluationContext(chainID: 1, languages: ["de"]))
        #expect(report.selections == ["high": true, "low": false])
        #expect(report.cards["blocked"] == CardAvailability(available: false, reason: "Stufe zu hoch"))
        #expect(report.cards["open"] == .available)
        #expect(report.cards["typo"]?.available == false)
        let one = await evaluator.evaluate(EvaluationContext(chainID: 1), card: "blocked")
        #expect(one.cards == ["blocked": CardAvailability(available: false, reason: "Level too high")])
    }
}
