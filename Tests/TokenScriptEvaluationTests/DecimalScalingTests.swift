import Testing
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptModel

/// `ts:user-entry as="eN"`: exact decimal scaling, no floating point, and refusal of what cannot be exact.
@Suite("eN scaling of user entries")
struct DecimalScalingTests {
    static let maximum = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

    static func entry(_ text: String, _ decimals: Int) async -> Result<EvaluatedAttribute, EvaluationError>? {
        let amount = attribute(
            "amount", .userEntry(UserEntryOrigin(conversion: .scaled(decimals: decimals), bitmask: nil, mapping: nil)))
        let report = await offlineEvaluator(script([amount])).evaluate(
            EvaluationContext(chainID: 1, userEntries: ["amount": text]))
        return report.attributes["amount"]
    }

    @Test(
        "decimal text scales exactly",
        arguments: [
            ("1.5", 18, "1500000000000000000"),
            ("0", 18, "0"),
            ("0.000000000000000001", 18, "1"),
            ("1", 0, "1"),
            (".5", 1, "5"),
            ("5.", 2, "500"),
            ("1.50", 1, "15"),
            (" 2 ", 18, "2000000000000000000"),
            ("300.5", 18, "300500000000000000000"),
            (
                "123456789012345678901234567890.123456789012345678", 18,
                "123456789012345678901234567890123456789012345678"
            ),
            (maximum, 0, maximum),
            ("115792089237316195423570985008687907853269984665640564039457.584007913129639935", 18, maximum),
        ])
    func scales(_ text: String, _ decimals: Int, _ expected: String) async throws {
        let value = try #require(await Self.entry(text, decimals)).get().value
        #expect(value == .uint(UInt256(decimal: expected)!))
    }

    @Test(
        "inexact, signed, exponent and overflowing entries are refused with the attribute named",
        arguments: [
            ("1.234", 2), ("-1", 18), ("1e18", 18), ("", 18), (".", 18), ("1,5", 18), ("abc", 18), ("0x10", 18),
            ("115792089237316195423570985008687907853269984665640564039457584007913129639936", 0),
            ("115792089237316195423570985008687907853269984665640564039457.584007913129639935", 19),
        ])
    func refuses(_ text: String, _ decimals: Int) async throws {
        let outcome = try #require(await Self.entry(text, decimals))
        guard case .failure(let error) = outcome else {
            Issue.record("'\(text)' e\(decimals) gave \(outcome)")
            return
        }
        #expect(error.attribute == "amount")
        #expect(error.origin == "ts:user-entry")
        #expect(error.description.hasPrefix("attribute 'amount' (ts:user-entry): "))
    }

    @Test("a user entry the context does not supply is a named error")
    func missingEntry() async throws {
        let amount = attribute(
            "amount", .userEntry(UserEntryOrigin(conversion: .scaled(decimals: 18), bitmask: nil, mapping: nil)))
        let report = await offlineEvaluator(script([amount])).evaluate(EvaluationContext(chainID: 1))
        #expect(report.error("amount")?.reason == .missingUserEntry("amount"))
    }
}
