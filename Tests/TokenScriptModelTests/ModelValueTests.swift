import Foundation
import Testing
import TokenScriptModel

@Suite("Model values")
struct ModelValueTests {
    @Test(
        "namespaces map to dated versions; other URIs do not",
        arguments: [
            ("http://tokenscript.org/2019/05/tokenscript", "2019/05"),
            ("http://tokenscript.org/2020/06/tokenscript", "2020/06"),
            ("https://www.tokenscript.org/2024/01/tokenscript", "2024/01"),
        ])
    func versions(_ namespace: String, _ expected: String) {
        #expect(SchemaVersion(namespace: namespace)?.description == expected)
    }

    @Test(
        "non-TokenScript namespaces are refused",
        arguments: [
            "http://www.w3.org/1999/xhtml", "http://tokenscript.org/2020/13/tokenscript",
            "http://tokenscript.org/20/06/tokenscript",
            "http://tokenscript.org/2020/06/other", "",
        ])
    func notVersions(_ namespace: String) {
        #expect(SchemaVersion(namespace: namespace) == nil)
    }

    @Test("published versions are ordered by date")
    func ordering() {
        #expect(SchemaVersion.published == SchemaVersion.published.sorted())
        #expect(SchemaVersion.v2020_06 < .v2022_09)
        #expect(SchemaVersion(year: 2023, month: 3).isPublished == false)
    }

    @Test("bitmasks ignore whitespace and 0x, refuse more than 64 digits, and know their shift")
    func bitmasks() throws {
        let mask = try #require(Bitmask("  0000FFFF\n  0000 "))
        #expect(mask.hex == "0000FFFF0000")
        #expect(mask.trailingZeroBits == 16)
        #expect(mask.setBits == 16)
        #expect(Bitmask("0x10")?.trailingZeroBits == 4)
        #expect(Bitmask(String(repeating: "F", count: 65)) == nil)
        #expect(Bitmask("xyz") == nil)
        #expect(Bitmask("") == nil)
        #expect(Bitmask.all.setBits == 256)
    }

    @Test(
        "as= values",
        arguments: [
            ("uint", ValueConversion.uint), ("utf8", .utf8), ("e18", .scaled(decimals: 18)),
            ("e0", .scaled(decimals: 0)),
            ("abi", .abi), ("bool", .bool), ("address", .address), ("bytes", .bytes), ("mapping", .mapping),
            ("signed", .int),
        ])
    func conversions(_ text: String, _ expected: ValueConversion) {
        #expect(ValueConversion(text) == expected)
    }

    @Test("unknown as= values are refused", arguments: ["e", "e-1", "e78", "float", "UINT"])
    func badConversions(_ text: String) {
        #expect(ValueConversion(text) == nil)
    }

    @Test("syntax OIDs map to value types")
    func syntaxes() {
        #expect(ValueSyntax(oid: "1.3.6.1.4.1.1466.115.121.1.7").type == .boolean)
        #expect(ValueSyntax(oid: "1.3.6.1.4.1.1466.115.121.1.15").type == .string)
        #expect(ValueSyntax(oid: "1.3.6.1.4.1.1466.115.121.1.24").type == .generalizedTime)
        #expect(ValueSyntax(oid: "1.3.6.1.4.1.1466.115.121.1.27").type == .integer)
        #expect(ValueSyntax(oid: "1.3.6.1.4.1.1466.115.121.1.36").type == .unsignedInteger)
        #expect(ValueSyntax(oid: "1.2.3").type == .unknown)
    }

    @Test("attribute paths: dotted and bracketed forms, malformed ones refused")
    func paths() throws {
        let path = try #require(AttributePath("catInfo.state[2].level"))
        #expect(path.attribute == "catInfo")
        #expect(path.components == [.key("state"), .index(2), .key("level")])
        #expect(path.description == "catInfo.state[2].level")
        #expect(AttributePath("plain")?.components == [])
        for bad in ["", ".a", "a..b", "a[", "a[x]", "[0]", "a b", "a."] {
            #expect(AttributePath(bad) == nil, "\(bad)")
        }
    }

    @Test("labels fall back from region to language to English to the first entry, and pick plural forms")
    func labels() {
        let text = LocalizedText([
            .init(language: "en", quantity: "one", text: "Ticket"),
            .init(language: "en", quantity: "other", text: "Tickets"),
            .init(language: "de", text: "Karte"),
            .init(language: "zh", text: "票"),
        ])
        #expect(text.text(preferring: ["de-CH"]) == "Karte")
        #expect(text.text(preferring: ["fr"]) == "Ticket")
        #expect(text.text(preferring: ["en"], count: 2) == "Tickets")
        #expect(text.text(preferring: ["zh"]) == "票")
        #expect(LocalizedText([.init(language: "es", text: "Boleto")]).text(preferring: ["fr"]) == "Boleto")
        #expect(LocalizedText([]).text() == nil)
        #expect(text.languages == ["en", "de", "zh"])
    }

    @Test("the model survives a JSON round trip, enums in their readable form")
    func codable() throws {
        let script = TokenScript(
            namespace: SchemaVersion.v2024_01.namespace, version: .v2024_01, name: "T",
            origins: [.contract("C"), .attestation("A")],
            attributes: [
                AttributeDefinition(
                    name: "level",
                    origins: [.path(AttributePath("info.level")!)]),
                AttributeDefinition(
                    name: "owner",
                    origins: [
                        .call(
                            EthereumCall(
                                contract: "C", function: "ownerOf", conversion: .address, bitmask: Bitmask("FF"),
                                arguments: [DataArgument(type: "uint256", source: .reference("tokenId"))]))
                    ]),
            ],
            selections: [Selection(name: "s", filterText: "level>1", filter: try FilterParser.parse("level>1"))],
            cards: [Card(name: "c", kind: .other("custom"))])
        let data = try JSONEncoder().encode(script)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""conversion":"address""#))
        #expect(text.contains(#""ref":"tokenId""#))
        #expect(text.contains(#""path":"info.level""#))
        #expect(text.contains(#""kind":"custom""#))
        #expect(try JSONDecoder().decode(TokenScript.self, from: data) == script)
    }

    @Test("diagnostics print like compiler messages")
    func diagnostics() {
        let located = Diagnostic(.error, .syntax, "bad", at: SourceLocation(file: "a.xml", line: 3, column: 7))
        #expect(located.description == "a.xml:3:7: error: bad")
        #expect(
            Diagnostic(.warning, .limit, "big", at: SourceLocation(file: "a.xml", line: 0, column: 0)).description
                == "a.xml: warning: big")
        #expect(Diagnostic.Severity.warning < .error)
    }
}
