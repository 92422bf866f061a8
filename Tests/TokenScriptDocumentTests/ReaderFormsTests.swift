import Foundation
import Testing
import TokenScriptDocument
import TokenScriptModel
import TokenScriptTesting

/// Old and new spellings read into one model; problems come with their place.
@Suite("Reader forms")
struct ReaderFormsTests {
    static func read(_ xml: String, strict: Bool = false, directory: String = NSTemporaryDirectory()) throws
        -> LoadedTokenScript
    {
        try TokenScriptReader.read(
            bytes: Array(xml.utf8), file: "test.xml", directory: directory,
            options: TokenScriptReadOptions(strict: strict))
    }

    @Test("2019/05: ts:name, attribute-types, ts:ethereum calls, selections with ts:filter, token-card and action")
    func legacy2019() throws {
        let loaded = try Self.read(
            """
            <ts:token xmlns:ts="http://tokenscript.org/2019/05/tokenscript">
              <ts:name><ts:string xml:lang="en">Ticket</ts:string></ts:name>
              <ts:contract name="C" interface="erc875"><ts:address \
            network="1">0x63cCEF733a093E5Bd773b41C96D3eCE361464942</ts:address></ts:contract>
              <ts:origins><ts:ethereum contract="C"/></ts:origins>
              <ts:selections><ts:selection id="expired"><ts:filter>expired</ts:filter></ts:selection></ts:selections>
              <ts:cards>
                <ts:token-card><ts:view xml:lang="en"><p xmlns="http://www.w3.org/1999/xhtml">hi</p></ts:view>\
            </ts:token-card>
                <ts:action><ts:name><ts:string xml:lang="en">Enter</ts:string></ts:name><ts:exclude \
            selection="expired"/></ts:action>
              </ts:cards>
              <ts:attribute-types>
                <ts:attribute-type id="expired" syntax="1.3.6.1.4.1.1466.115.121.1.7">
                  <ts:origins><ts:ethereum as="bool" contract="C" function="isExpired"><ts:data><ts:uint256 \
            ref="tokenId"/></ts:data></ts:ethereum></ts:origins>
                </ts:attribute-type>
                <ts:attribute-type id="time" syntax="1.3.6.1.4.1.1466.115.121.1.24">
                  <ts:origins><ts:token-id as="utf8" bitmask="0000FFFF 00000000"/></ts:origins>
                </ts:attribute-type>
              </ts:attribute-types>
            </ts:token>
            """, strict: true)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let script = loaded.tokenScript
        #expect(script.version == .v2019_05)
        #expect(script.label.text() == "Ticket")
        #expect(script.holdingContract?.name == "C")
        #expect(script.selections.first?.filter == (try FilterParser.parse("expired=TRUE")))
        #expect(script.cards.map(\.kind) == [.token, .action])
        #expect(script.cards.map(\.name) == ["token1", "action2"])
        #expect(script.cards[1].exclude == ["expired"])
        #expect(script.cards[0].views.first?.content.contains("<p") == true)
        #expect(script.attributes.map(\.name) == ["expired", "time"])
        #expect(script.attributes[0].syntax?.type == .boolean)
        guard case .call(let call) = script.attributes[0].origin else {
            Issue.record("not a call")
            return
        }
        #expect(
            call.function == "isExpired" && call.conversion == .bool
                && call.arguments.first?.source == .reference("tokenId"))
        guard case .tokenID(let tokenID) = script.attributes[1].origin else {
            Issue.record("not a token id")
            return
        }
        #expect(tokenID.bitmask?.hex == "0000FFFF00000000")
    }

    @Test("any prefix works: matching is by namespace, not by 'ts:'")
    func otherPrefix() throws {
        let loaded = try Self.read(
            """
            <tok:token xmlns:tok="http://tokenscript.org/2024/01/tokenscript" xmlns:eth="urn:ethereum:constantinople" \
            name="x">
              <tok:attribute name="sym"><tok:origins><eth:call function="symbol" as="utf8"/></tok:origins>\
            </tok:attribute>
            </tok:token>
            """, strict: true)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.tokenScript.attributes.first?.origin?.kind == "ethereum:call")
    }

    @Test("elements of other namespaces are extensions and are ignored, even strictly")
    func extensions() throws {
        let loaded = try Self.read(
            """
            <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" xmlns:x="urn:example:extension" name="x">
              <x:server><x:anything/></x:server>
            </ts:token>
            """, strict: true)
        #expect(loaded.diagnostics.isEmpty)
    }

    @Test(
        "bad values are located: bitmask, as=, filter, address, unknown attribute",
        arguments: [
            (
                "<ts:attribute name=\"a\"><ts:origins><ts:token-id bitmask=\"XYZ\"/></ts:origins></ts:attribute>",
                "bitmask \"XYZ\""
            ),
            (
                "<ts:attribute name=\"a\"><ts:origins><ts:token-id as=\"e18x\"/></ts:origins></ts:attribute>",
                "unknown as=\"e18x\""
            ),
            ("<ts:selection name=\"s\" filter=\"(a=1\"/>", "selection 's': filter \"(a=1\": expected ')'"),
            (
                "<ts:contract name=\"C\"><ts:address network=\"1\">0x12</ts:address></ts:contract>",
                "'0x12' is not a 0x address"
            ),
            (
                "<ts:attribute name=\"a\" colour=\"red\"><ts:origins><ts:token-id/></ts:origins></ts:attribute>",
                "unknown attribute 'colour' on <ts:attribute>"
            ),
            (
                "<ts:attribute name=\"a\"><ts:origins><ts:data><ts:uint7>1</ts:uint7></ts:data></ts:origins>"
                    + "</ts:attribute>",
                "<ts:uint7> is not an ABI type"
            ),
        ])
    func badValues(_ body: String, _ message: String) throws {
        let xml =
            "<ts:token xmlns:ts=\"http://tokenscript.org/2024/01/tokenscript\" name=\"x\">\n  \(body)\n</ts:token>"
        let lenient = try Self.read(xml)
        let diagnostic = try #require(
            lenient.diagnostics.first { $0.message.contains(message) }, "\(lenient.diagnostics)")
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.location?.line == 2)
        #expect((diagnostic.location?.column ?? 0) >= 3)
        let strict = try Self.read(xml, strict: true)
        #expect(strict.diagnostics.contains { $0.message.contains(message) && $0.severity == .error })
    }

    @Test("a card excluding an undefined selection, and a missing required name, are reported")
    func references() throws {
        let loaded = try Self.read(
            """
            <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" name="x">
              <ts:cards><ts:card type="action" name="go" exclude="nope"/></ts:cards>
              <ts:attribute><ts:origins><ts:token-id/></ts:origins></ts:attribute>
            </ts:token>
            """)
        #expect(
            loaded.diagnostics.contains { $0.message == "card 'go' excludes selection 'nope', which is not defined" })
        #expect(
            loaded.errors.contains { $0.message == "<ts:attribute> needs a 'name' attribute" && $0.location?.line == 3 }
        )
    }

    @Test("a non-TokenScript root is refused with the namespace it had")
    func wrongRoot() {
        #expect(throws: TokenScriptReadError.self) { try Self.read("<token xmlns=\"urn:other\"/>") }
        do {
            _ = try Self.read("<token xmlns=\"urn:other\"/>")
        } catch {
            #expect(
                (error as? TokenScriptReadError)?.diagnostics.first?.message.contains("found namespace 'urn:other'")
                    == true)
        }
    }

    @Test("an action-only script (root ts:card) becomes one card with its input networks and contracts")
    func actionOnly() throws {
        let loaded = try Self.read(
            """
            <ts:card xmlns:ts="http://tokenscript.org/2020/06/tokenscript" \
            xmlns:ethereum="urn:ethereum:constantinople" type="action" name="bridge">
              <ts:label><ts:string xml:lang="en">Bridge</ts:string></ts:label>
              <ts:input><ts:token><ts:ethereum network="1"/></ts:token></ts:input>
              <ts:contract name="Bridge"><ts:address \
            network="1">0x4aa42145Aa6Ebf72e164C9bBC74fbD3788045016</ts:address></ts:contract>
              <ts:transaction><ethereum:transaction>\
            <ethereum:to>0x4aa42145Aa6Ebf72e164C9bBC74fbD3788045016</ethereum:to><ethereum:value ref="amount"/>\
            </ethereum:transaction></ts:transaction>
            </ts:card>
            """, strict: true)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.tokenScript.root == .card)
        #expect(loaded.tokenScript.cards.first?.inputNetworks == ["1"])
        #expect(loaded.tokenScript.contracts.first?.name == "Bridge")
        #expect(loaded.tokenScript.cards.first?.transaction?.value?.source == .reference("amount"))
    }

    @Test("ts:include is read from the document's directory; escaping includes are refused")
    func includes() throws {
        let inside = try TokenScriptReader.read(file: TestPaths.fixtures + "/hostile-xml/include-in-dir/doc.xml")
        let view = try #require(inside.tokenScript.cards.flatMap(\.views).first { !$0.includes.isEmpty })
        #expect(view.includes.first?.content != nil)
        #expect(inside.diagnostics.isEmpty)
        for file in ["include-escape.xml", "include-absolute.xml", "include-in-dir/symlink-escape.xml"] {
            let loaded = try TokenScriptReader.read(file: TestPaths.fixtures + "/hostile-xml/" + file)
            #expect(loaded.errors.contains { $0.kind == .forbiddenAccess && ($0.location?.line ?? 0) > 0 }, "\(file)")
            #expect(loaded.tokenScript.cards.flatMap(\.views).allSatisfy { !$0.content.contains("root:") })
        }
    }
}
