import Testing
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptModel

/// Origins that need no chain: token-id fields, user entries, literals, refs, paths, mapping and syntax.
@Suite("Conversions without a chain")
struct ConversionTests {
    static let vip = uint("0x000004574d55433101002a000000000000000000000000000000000000000007")
    static let student = uint("0x000004574d55433103013e000000000000000000000000000000000000000008")

    @Test(
        "the ticket's worked examples decode from the token id, with the mapping in the preferred language",
        arguments: [
            (vip, ["en"], 1111, "MUC1", "VIP", 42),
            (student, ["en"], 1111, "MUC1", "Student", 318),
            (student, ["de-CH"], 1111, "MUC1", "Studierende", 318),
            (student, ["fr"], 1111, "MUC1", "Student", 318),
        ])
    func ticketFields(
        _ tokenID: UInt256, _ languages: [String], _ eventID: Int, _ venue: String, _ category: String, _ seat: Int
    ) async throws {
        let evaluator = offlineEvaluator(try OwnScripts.ticket)
        let report = await evaluator.evaluate(EvaluationContext(chainID: 31337, tokenID: tokenID, languages: languages))
        #expect(report.value("eventId") == .int(eventID))
        #expect(report.value("venue") == .string(venue))
        #expect(report.value("category") == .string(category))
        #expect(report.value("seat") == .int(seat))
        let provenance = try #require(try report.attributes["seat"]?.get().provenance)
        #expect(provenance == Provenance(origin: "ts:token-id", block: nil, cached: false))
        // Chain origins fail with the attribute, the origin and the missing endpoint named.
        #expect(
            report.error("expired")?.description == "attribute 'expired' (ethereum:call isExpired): "
                + ChainError.noEndpoint(chainID: 31337).description)
    }

    @Test("a category without a mapping option shows its key")
    func mappingMiss() async throws {
        let tokenID = uint("0x000004574d55433109002a000000000000000000000000000000000000000007")
        let report = await offlineEvaluator(try OwnScripts.ticket).evaluate(
            EvaluationContext(chainID: 31337, tokenID: tokenID))
        #expect(report.value("category") == .string("9"))
    }

    @Test(
        "token-id fields convert by as",
        arguments: [
            ("FF00", ValueConversion.uint, "0xAB00", AttributeValue.int(0xAB)),
            ("FF00", .int, "0xFE00", .int(-2)),
            ("FF00", .bool, "0x0100", .bool(true)),
            ("FF00", .bool, "0x00FF", .bool(false)),
            ("FFFF0000", .bytes, "0x00AB0000", .bytes([0x00, 0xAB])),
            ("FFFFFFFF00", .utf8, "0x0000414200", .string("AB")),
            ("FF", .scaled(decimals: 3), "0x02", .int(2000)),
            (
                "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", .address, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
                .address(EthereumAddress("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")!)
            ),
        ])
    func tokenIDConversions(
        _ mask: String, _ conversion: ValueConversion, _ tokenID: String, _ expected: AttributeValue
    ) async throws {
        let field = attribute(
            "field", .tokenID(TokenIDOrigin(conversion: conversion, bitmask: Bitmask(mask), mapping: nil)))
        let report = await offlineEvaluator(script([field])).evaluate(
            EvaluationContext(chainID: 1, tokenID: uint(tokenID)))
        #expect(try report.attributes["field"]?.get().value == expected)
    }

    @Test("tokenId on a fungible token is a named error")
    func noTokenID() async {
        let field = attribute("field", .tokenID(TokenIDOrigin(conversion: .uint, bitmask: nil, mapping: nil)))
        let report = await offlineEvaluator(script([field])).evaluate(EvaluationContext(chainID: 1))
        #expect(report.error("field")?.reason == .noTokenID)
    }

    @Test(
        "user entries are validated by as",
        arguments: [
            (ValueConversion.uint, "42", AttributeValue.int(42)),
            (.uint, "0x2a", .int(42)),
            (.int, "-7", .int(-7)),
            (.bool, "TRUE", .bool(true)),
            (.bool, "false", .bool(false)),
            (.bytes, "0xCAFE", .bytes([0xCA, 0xFE])),
            (.utf8, " as typed ", .string(" as typed ")),
            (
                .address, " 0x2b5ad5c4795c026514f8317c7a215e218dccd6cf ",
                .address(EthereumAddress("0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF")!)
            ),
        ])
    func userEntries(_ conversion: ValueConversion, _ text: String, _ expected: AttributeValue) async throws {
        let entry = attribute("entry", .userEntry(UserEntryOrigin(conversion: conversion, bitmask: nil, mapping: nil)))
        let report = await offlineEvaluator(script([entry])).evaluate(
            EvaluationContext(chainID: 1, userEntries: ["entry": text]))
        #expect(try report.attributes["entry"]?.get().value == expected)
    }

    @Test(
        "malformed user entries are refused",
        arguments: [
            (ValueConversion.uint, "4 2"), (.uint, "-1x"), (.bool, "yes"), (.bytes, "0xCAF"),
            // A mixed-case address whose EIP-55 checksum is wrong is a typo.
            (.address, "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cf"), (.address, "0x1234"),
        ])
    func badUserEntries(_ conversion: ValueConversion, _ text: String) async {
        let entry = attribute("entry", .userEntry(UserEntryOrigin(conversion: conversion, bitmask: nil, mapping: nil)))
        let report = await offlineEvaluator(script([entry])).evaluate(
            EvaluationContext(chainID: 1, userEntries: ["entry": text]))
        guard case .conversion? = report.error("entry")?.reason else {
            Issue.record("\(conversion) '\(text)' gave \(String(describing: report.attributes["entry"]))")
            return
        }
    }

    @Test(
        "syntax OIDs coerce values to their types",
        arguments: [
            ("15", AttributeValue.int(42), AttributeValue.string("42")),
            ("27", .string("-12"), .int(-12)),
            (
                "36", .string("115792089237316195423570985008687907853269984665640564039457584007913129639935"),
                .uint(UInt256.max)
            ),
            ("7", .string("TRUE"), .bool(true)),
            ("7", .int(0), .bool(false)),
            ("24", .string("20261122043900Z"), .time(GeneralizedTime("20261122043900Z")!)),
            ("24", .int(1767225600), .time(GeneralizedTime("20260101000000Z")!)),
        ])
    func syntax(_ oid: String, _ input: AttributeValue, _ expected: AttributeValue) async throws {
        let type = if case .integer = input { "int256" } else { "string" }
        let source = attribute("source", .literal(DataArgument(type: type, source: .literal(input.text))))
        let typed = attribute("typed", .attributeReference("source"), syntax: oid)
        let report = await offlineEvaluator(script([source, typed])).evaluate(EvaluationContext(chainID: 1))
        #expect(try report.attributes["typed"]?.get().value == expected)
    }

    @Test(
        "a value that does not fit its syntax is an error, not a silent default",
        arguments: [
            ("27", "twelve"), ("36", "-1"), ("7", "maybe"), ("24", "2026-11-22"),
        ])
    func badSyntax(_ oid: String, _ text: String) async {
        let source = attribute("source", .literal(DataArgument(type: "string", source: .literal(text))))
        let typed = attribute("typed", .attributeReference("source"), syntax: oid)
        let report = await offlineEvaluator(script([source, typed])).evaluate(EvaluationContext(chainID: 1))
        #expect(report.error("typed")?.origin == "ts:attribute ref source")
    }

    @Test("literal ts:data reads its text as its element's type")
    func literals() async throws {
        let small = attribute("small", .literal(DataArgument(type: "uint8", source: .literal("3"))))
        let tooBig = attribute("tooBig", .literal(DataArgument(type: "uint8", source: .literal("256"))))
        let text = attribute("text", .literal(DataArgument(type: "string", source: .literal("hello"))))
        let report = await offlineEvaluator(script([small, tooBig, text])).evaluate(EvaluationContext(chainID: 1))
        #expect(report.value("small") == .int(3))
        #expect(report.value("text") == .string("hello"))
        #expect(report.error("tooBig") != nil)
    }

    @Test("GeneralizedTime parses zones and converts to and from Unix time")
    func generalizedTime() throws {
        let utc = try #require(GeneralizedTime("20260101000000Z"))
        #expect(utc.unixSeconds == 1_767_225_600)
        #expect(GeneralizedTime("20260101010000+0100")?.unixSeconds == 1_767_225_600)
        #expect(GeneralizedTime("202601010000")?.unixSeconds == 1_767_225_600)
        #expect(try GeneralizedTime(unixSeconds: 951_782_400).text == "20000229000000Z")
        #expect(try GeneralizedTime(unixSeconds: -1).text == "19691231235959Z")
        for bad in ["2026", "20261301000000Z", "20260230000000Z", "20260101000000X", "20260101246000Z"] {
            #expect(GeneralizedTime(bad) == nil, "\(bad)")
        }
    }

    @Test("the JSON form keeps big integers exact and structures as objects")
    func json() {
        let value = AttributeValue.structured([
            AttributeField(name: "level", value: .int(3)),
            AttributeField(
                name: "owner", value: .address(EthereumAddress("0x2b5ad5c4795c026514f8317c7a215e218dccd6cf")!)),
            AttributeField(name: "active", value: .bool(true)),
            AttributeField(name: "data", value: .bytes([0xCA, 0xFE])),
            AttributeField(name: "list", value: .list([.uint(UInt256.max), .string("a\"b\n")])),
        ])
        #expect(
            value.json
                == #"{"level":"3","owner":"0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF","active":true,"data":"0xcafe","#
                + #""list":["115792089237316195423570985008687907853269984665640564039457584007913129639935","#
                + #""a\"b\n"]}"#
        )
        #expect(AttributeValue.int(-5).text == "-5")
    }
}

/// Issue 8, class 1: Unix times from a contract or a user entry that the calendar cannot hold.
@Suite("GeneralizedTime from hostile Unix times")
struct HostileUnixTimeTests {
    @Test(
        "Unix times beyond years 0000…9999 are errors naming the field, never a trap",
        arguments: [
            ("-2^63", Int64.min), ("2^63-1", Int64.max), ("year 10000", 253_402_300_800), ("year -1", -62_167_219_201),
        ] as [(String, Int64)])
    func outOfRange(label: String, seconds: Int64) {
        do {
            _ = try GeneralizedTime(unixSeconds: seconds, field: "expiry")
            Issue.record("\(label): accepted")
        } catch {
            #expect(error.field == "expiry", "\(label)")
            #expect(error.description.hasPrefix("expiry: \(seconds) is out of range"), "\(label): \(error)")
        }
    }

    @Test("the range's ends convert and round-trip")
    func ends() throws {
        let first = try GeneralizedTime(unixSeconds: GeneralizedTime.unixSecondsRange.lowerBound)
        #expect(first.text == "00000101000000Z")
        let last = try GeneralizedTime(unixSeconds: GeneralizedTime.unixSecondsRange.upperBound)
        #expect(last.text == "99991231235959Z")
        #expect(last.unixSeconds == GeneralizedTime.unixSecondsRange.upperBound)
    }
}

/// The same through evaluation: a user entry (or a contract's answer) of -2^63 read as a GeneralizedTime.
@Suite("eval with a hostile GeneralizedTime")
struct HostileGeneralizedTimeEvaluationTests {
    @Test(
        "an integer that no calendar can hold is a conversion error on that attribute; the others still evaluate",
        arguments: ["-9223372036854775808", "9223372036854775807", "253402300800"])
    func userEntry(_ text: String) async throws {
        let entry = attribute("entry", .userEntry(UserEntryOrigin(conversion: .int, bitmask: nil, mapping: nil)))
        let typed = attribute("expiry", .attributeReference("entry"), syntax: "24")
        let other = attribute("other", .literal(DataArgument(type: "string", source: .literal("fine"))))
        let report = await offlineEvaluator(script([entry, typed, other]))
            .evaluate(EvaluationContext(chainID: 1, userEntries: ["entry": text]))
        guard case .conversion(let message)? = report.error("expiry")?.reason else {
            Issue.record("\(text) gave \(String(describing: report.attributes["expiry"]))")
            return
        }
        #expect(message.contains("\(text) is out of range"), "\(message)")
        #expect(report.value("other") == .string("fine"))
    }
}
