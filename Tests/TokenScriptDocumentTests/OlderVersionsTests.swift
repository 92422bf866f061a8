import Testing
import TokenScriptDocument
import TokenScriptModel
import TokenScriptTesting
import TokenScriptXML

/// The forms the published 2019/05, 2019/10 and 2020/03 schemas define for transactions, the token card and the
/// event origin read into the same model as their 2020/06 forms. The fixtures (Fixtures/older-versions) are one
/// WETH token written from each version's schema, and once more in the 2020/06 forms.
@Suite("Older TokenScript versions")
struct OlderVersionsTests {
    static let versions = ["2019-05", "2019-10", "2020-03", "2020-06"]

    static func path(_ version: String) -> String {
        TestPaths.fixtures + "/older-versions/weth-\(version).xml"
    }

    static func read(_ version: String, schemas: XMLSchemaSet? = nil) throws -> LoadedTokenScript {
        try TokenScriptReader.read(
            file: path(version), options: TokenScriptReadOptions(strict: true, schemas: schemas))
    }

    static func card(_ label: String, in script: TokenScript) throws -> Card {
        try #require(script.cards.first { $0.label.text() == label }, "no card labelled \(label)")
    }

    static func event(_ origin: AttributeOrigin) -> EthereumEvent? {
        if case .event(let event) = origin { return event }
        return nil
    }

    @Test("each fixture reads strictly without a single diagnostic", arguments: versions)
    func readsStrictly(_ version: String) throws {
        let loaded = try Self.read(version)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.tokenScript.version.description == version.replacing("-", with: "/"))
    }

    @Test(
        "ts:ethereum function= with ts:to and ts:value is the 2020/06 ethereum:transaction, ether included",
        arguments: ["2019-05", "2019-10", "2020-03"])
    func transaction(_ version: String) throws {
        let old = try Self.read(version).tokenScript
        let new = try Self.read("2020-06").tokenScript
        let wrap = try #require(try Self.card("Wrap", in: old).transaction)
        #expect(wrap == (try Self.card("Wrap", in: new).transaction))
        // WETH's payable deposit() carries the amount the user entered as its ether.
        #expect(wrap.function == "deposit" && wrap.contract == "WETH")
        #expect(wrap.value == DataArgument(type: "uint256", source: .reference("amount")))
        // A plain payment: no function, a recipient and a value.
        let pay = try #require(try Self.card("Pay", in: old).transaction)
        #expect(pay == (try Self.card("Pay", in: new).transaction))
        #expect(pay.function == nil && pay.to == "payee")
        #expect(pay.value?.source == .reference("price"))
    }

    @Test("<ts:cards><ts:token> is the token card, with its item view and view", arguments: ["2019-10", "2020-03"])
    func tokenCard(_ version: String) throws {
        var old = try #require(try Self.read(version).tokenScript.cards.first { $0.kind == .token })
        var new = try #require(try Self.read("2020-06").tokenScript.cards.first { $0.kind == .token })
        #expect(old.views.map(\.kind) == [.itemView, .view])
        #expect(old.views.last?.content.contains("render('card')") == true)
        (old.location, new.location) = (nil, nil)
        #expect(old == new)
    }

    @Test("2020/03: ts:ethereum event= filter= select= is the ethereum:event origin, and its ABI is read")
    func eventOrigin2020() throws {
        let old = try Self.read("2020-03").tokenScript
        let new = try Self.read("2020-06").tokenScript
        let origin = try #require(old.attributes.first { $0.name == "lastDeposit" }?.origin)
        #expect(origin == new.attributes.first { $0.name == "lastDeposit" }?.origin)
        let event = try #require(Self.event(origin), "not an event origin: \(origin)")
        #expect(event.type == "Deposit" && event.contract == "WETH" && event.select == "wad")
        #expect(event.filterText == "dst=${ownerAddress}" && event.filter.map(\.field) == ["dst"])
        // The asnx:module inside ts:contract is the event itself; it reads as 2020/06's namedType.
        #expect(old.eventModules == new.eventModules)
        #expect(old.eventModules.first?.types.first?.signature == "Deposit(address,uint256)")
    }

    @Test("2019/10 (whose schema has it too): the event origin, with an ABI that cannot mark indexed fields")
    func eventOrigin2019() throws {
        let old = try Self.read("2019-10").tokenScript
        let new = try Self.read("2020-06").tokenScript
        let origin = old.attributes.first { $0.name == "lastDeposit" }?.origin
        #expect(origin != nil && origin == new.attributes.first { $0.name == "lastDeposit" }?.origin)
        let fields = try #require(old.eventModules.first?.types.first { $0.name == "Deposit" }?.fields)
        #expect(fields.map(\.name) == ["dst", "wad"] && fields.map(\.type) == ["address", "uint256"])
        #expect(fields.allSatisfy { !$0.indexed })
    }

    @Test(
        "each fixture is valid against its version's published XSD, as `tokenscript validate --xsd` checks it",
        .needsShared, arguments: versions)
    func schemaValid(_ version: String) throws {
        let schemas = try XMLSchemaSet(directory: TestPaths.xsd)
        let loaded = try Self.read(version, schemas: schemas)
        let schemaFile = try #require(loaded.schemaFile, "no schema for \(version) under \(TestPaths.xsd)")
        if version != "2020-06" {  // 2020/06 compiles from the SmartTokenLabs copy, not from 2020-06/
            #expect(schemaFile.hasSuffix("/\(version)/tokenscript.xsd"), "\(schemaFile)")
        }
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        #expect(!loaded.diagnostics.contains { $0.kind == .schema }, "\(loaded.diagnostics)")
    }
}
