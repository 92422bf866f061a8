import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

@Suite("inspect")
struct InspectCommandTests {
    static func inspectJSON(_ path: String) throws -> [String: Any] {
        let options = try Inspect.Options.parse([path, "--json"])
        let console = Console.capture()
        #expect(Inspect.run(options, console: console) == 0)
        return try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
    }

    @Test("--json has the documented keys, for the ticket")
    func documentedKeys() throws {
        let json = try Self.inspectJSON(TestPaths.tokenScripts + "/event-ticket-erc721.xml")
        for key in [
            "namespace", "name", "contracts", "attributes", "cards", "selections", "transactions", "attestations",
        ] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["namespace"] as? String == "http://tokenscript.org/2024/01/tokenscript")
        let contracts = try #require(json["contracts"] as? [[String: Any]])
        let addresses = try #require(contracts.first?["addresses"] as? [[String: String]])
        #expect(addresses.allSatisfy { $0["network"] != nil && $0["address"]?.hasPrefix("0x") == true })
        let attributes = try #require(json["attributes"] as? [[String: Any]])
        let expired = try #require(attributes.first { $0["name"] as? String == "expired" })
        #expect(expired["scope"] as? String == "token")
        #expect(expired["origins"] as? [String] == ["ethereum:call"])
        #expect(expired["dependsOn"] as? [String] == ["tokenId"])
        let cards = try #require(json["cards"] as? [[String: Any]])
        #expect(cards.allSatisfy { $0["name"] is String && $0["type"] is String })
        let selections = try #require(json["selections"] as? [[String: Any]])
        #expect(selections.contains { $0["name"] as? String == "expired" && $0["filter"] as? String == "expired=TRUE" })
    }

    @Test("card-scope attributes carry their card's name as scope")
    func cardScope() throws {
        let json = try Self.inspectJSON(TestPaths.tokenScripts + "/reward-token-erc20.xml")
        let attributes = try #require(json["attributes"] as? [[String: Any]])
        let amounts = attributes.filter { $0["name"] as? String == "amount" }
        #expect(Set(amounts.compactMap { $0["scope"] as? String }) == ["transfer", "stake"])
        #expect(amounts.allSatisfy { $0["origins"] as? [String] == ["ts:user-entry"] && $0["as"] as? String == "e18" })
    }

    @Test(
        "the inspect JSON of each bundled TokenScript matches its golden file",
        arguments: ["event-ticket-erc721", "reward-token-erc20", "membership-2024"])
    func golden(_ name: String) throws {
        let report = InspectReport(
            file: "TokenScripts/\(name).xml",
            script: try TokenScriptCommandsTestsSupport.load("TokenScripts/\(name).xml"), diagnostics: [])
        if let difference = Golden.check(JSONOutput.encode(report), against: "\(name).inspect.json") {
            Issue.record(Comment(rawValue: difference))
        }
    }

    @Test("a file that is not TokenScript is unusable input: exit 2, the reason and place on stderr")
    func notTokenScript() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/other.xml"
        try "<html xmlns=\"http://www.w3.org/1999/xhtml\"/>".write(toFile: path, atomically: true, encoding: .utf8)
        let console = Console.capture()
        #expect(Inspect.run(try Inspect.Options.parse([path]), console: console) == 2)
        #expect(console.output.isEmpty)
        #expect(
            console.errorOutput.contains("error: \(path):1:1: root element <html> is not in a TokenScript namespace"))
    }

    @Test("the command line parses into the commands")
    func parsing() throws {
        let command = try TokenScriptCLI.parseAsRoot(["validate", "--strict", "--json", "--xsd", "/x", "a.xml", "b"])
        let validate = try #require(command as? ValidateCommand).options
        #expect(validate.strict && validate.json && validate.xsdDirectory == "/x" && validate.paths == ["a.xml", "b"])
        #expect(throws: (any Error).self) { try TokenScriptCLI.parseAsRoot(["validate"]) }
        #expect(try TokenScriptCLI.parseAsRoot(["inspect", "--json", "f.xml"]) is InspectCommand)
    }
}

import TokenScriptDocument
import TokenScriptModel

enum TokenScriptCommandsTestsSupport {
    /// Loads a bundled TokenScript under a relative name, so recorded output does not depend on the checkout's path.
    static func load(_ relative: String) throws -> TokenScript {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestPaths.packageRoot + "/" + relative)))
        return try TokenScriptReader.read(bytes: bytes, file: relative, directory: TestPaths.tokenScripts).tokenScript
    }
}
