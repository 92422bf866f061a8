import Foundation
import Testing
import TokenScriptEngine
import TokenScriptJSON
import TokenScriptTesting

/// `TokenDefinition.id` is pinned by a file written once by hand, so a change to the definition's
/// canonical form cannot pass by reading back its own output: it must change `Fixtures/golden/definition-ids.json`
/// too (and so every journal's definition id), which a reviewer sees.
@Suite("Pinned definition ids") struct DefinitionIDGoldenTests {
    static func pinned() throws -> [String: String] {
        let text = try String(contentsOfFile: TestPaths.fixtures + "/golden/definition-ids.json", encoding: .utf8)
        let members = try #require(try JSONReader.read(text).objectValue)
        return Dictionary(
            uniqueKeysWithValues: members.compactMap { key, value in value.stringValue.map { (key.string, $0) } })
    }

    @Test(
        "each example token has its pinned id",
        arguments: [
            "TokenScripts/flight-ticket.xml", "Fixtures/engine/counter.xml", "Fixtures/engine/unicode-keys.xml",
            "TokenScripts/smart-car.xml",
        ])
    func pinnedID(_ path: String) throws {
        let root = URL(fileURLWithPath: TestPaths.fixtures).deletingLastPathComponent().path
        let definition = try TokenDefinition(tokenScript: try EngineTestSupport.load(root + "/" + path))
        let pinned = try Self.pinned()[path]
        #expect(definition.id == pinned)
    }

    @Test("the id ignores source locations and follows every Lua text")
    func idFollowsLogicOnly() throws {
        let script = try EngineTestSupport.load(TestPaths.tokenScripts + "/flight-ticket.xml")
        let original = try TokenDefinition(tokenScript: script).id
        var moved = script
        moved.server!.location = nil
        for index in moved.server!.triggers.indices { moved.server!.triggers[index].location = nil }
        #expect(try TokenDefinition(tokenScript: moved).id == original)
        var edited = script
        let index = try #require(
            edited.server!.triggers.firstIndex { if case .lua = $0.transition { true } else { false } })
        guard case .lua(var source) = edited.server!.triggers[index].transition else {
            Issue.record("trigger \(index) has no Lua transition")
            return
        }
        source.text += "\n"
        edited.server!.triggers[index].transition = .lua(source)
        #expect(try TokenDefinition(tokenScript: edited).id != original)
    }
}
