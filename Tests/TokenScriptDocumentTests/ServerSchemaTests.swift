import Foundation
import Testing
import TokenScriptDocument
import TokenScriptModel
import TokenScriptTesting
import TokenScriptXML

/// The embedded XSD of the server extension: identical to the shipped file, compiles, and is applied to our subtrees.
@Suite("Server extension schema")
struct ServerSchemaTests {
    static let xsdPath = TestPaths.packageRoot + "/Sources/TokenScriptXML/Schemas/tokenscript-server-1.xsd"

    @Test("the embedded text is byte for byte the shipped tokenscript-server-1.xsd")
    func embeddedMatchesFile() throws {
        let file = try String(contentsOfFile: Self.xsdPath, encoding: .utf8)
        #expect(file == ServerExtensionSchema.text, "the embedded resource differs from the file")
        #expect(Self.xsdPath.hasSuffix("/" + ServerExtensionSchema.fileName))
        #expect(file.contains("targetNamespace=\"\(ServerExtension.namespaceURI)\""))
    }

    @Test("it compiles")
    func compiles() {
        #expect(ServerExtensionSchema.compilationProblems.isEmpty, "\(ServerExtensionSchema.compilationProblems)")
    }

    static func read(_ xml: String) throws -> LoadedTokenScript {
        try TokenScriptReader.read(
            bytes: Array(xml.utf8), file: "schema.xml", directory: NSTemporaryDirectory(),
            options: TokenScriptReadOptions())
    }

    @Test("violations are schema errors at their lines, with our prefix instead of the namespace URI")
    func violations() throws {
        let loaded = try Self.read(
            """
            <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" \
            xmlns:sl="https://swift-tokenscript.org/server/1" name="x">
              <sl:server>
                <sl:states initial="a">
                  <sl:state name="a" lifecycle="zombie"/>
                </sl:states>
                <sl:trigger name="t">
                  <sl:on-schedule every="P1Y"/>
                  <sl:transition goto="a"/>
                </sl:trigger>
                <sl:frobnicate/>
              </sl:server>
              <sl:trigger name="stray"/>
            </ts:token>
            """)
        let schema = loaded.errors.filter { $0.kind == .schema }
        #expect(schema.map { $0.location?.line ?? 0 } == [4, 7, 10, 12], "\(loaded.diagnostics)")
        #expect(schema.allSatisfy { $0.message.hasPrefix("server extension (tokenscript-server-1.xsd): ") })
        #expect(schema[0].message.contains("Element 'sl:state', attribute 'lifecycle'"))
        #expect(!schema.contains { $0.message.contains("{https://") })
        // No second message for a line the schema already reported.
        #expect(loaded.diagnostics.filter { $0.location?.line == 4 }.count == 1)
    }

    @Test("documents without the extension are untouched")
    func noExtension() throws {
        let loaded = try Self.read(
            """
            <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" name="x"><ts:label>x</ts:label></ts:token>
            """)
        #expect(loaded.diagnostics.isEmpty)
    }

    @Test(
        "the subtree is validated on its own: the prefix may be declared on the root or on sl:server, or be the default"
    )
    func namespaceDeclarations() throws {
        for server in [
            #"<server xmlns="https://swift-tokenscript.org/server/1">"#
                + #"<states initial="a"><state name="a"/></states></server>"#,
            #"<q:server xmlns:q="https://swift-tokenscript.org/server/1">"#
                + #"<q:states initial="a"><q:state name="a"/></q:states></q:server>"#,
        ] {
            let loaded = try Self.read(
                """
                <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" name="x">\(server)</ts:token>
                """)
            #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
            #expect(loaded.tokenScript.server?.initialState == "a")
        }
    }
}
