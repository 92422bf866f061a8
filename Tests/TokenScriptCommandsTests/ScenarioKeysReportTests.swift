import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript test` says when a scenario's test keys (or the simulated anchor's) stood in for the document's.
@Suite("test: substituted issuer keys")
struct ScenarioKeysReportTests {
    static let scenario = TestPaths.tokenScripts + "/flight-ticket.tests/integrator-reads.scenario.json"

    @Test("the text names the issuers under the scenario; --json lists them as substitutedIssuers")
    func named() async throws {
        // The scenario's airline key is the one the document trusts: only the simulated anchor stands in.
        let text = Console.capture()
        #expect(await ScenarioTest.run(try .parse([Self.scenario]), console: text) == 0, "\(text.output)")
        #expect(text.output.contains("PASS integrator-reads\n  test keys stood in for the document's keys of: anchor"))

        // With another airline key, the airline is named too.
        let directory = try TemporaryDirectory()
        let tests = try ScenarioTestCommandTests.copy(directory)
        let copy = tests + "/integrator-reads.scenario.json"
        let original = try String(contentsOfFile: copy, encoding: .utf8)
        try original.replacingOccurrences(
            of: "0x" + String(repeating: "1", count: 64), with: "0x" + String(repeating: "2", count: 64)
        )
        .write(toFile: copy, atomically: true, encoding: .utf8)
        let json = Console.capture()
        _ = await ScenarioTest.run(try .parse([copy, "--json"]), console: json)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let scenarios = try #require(summary["scenarios"] as? [[String: Any]])
        #expect(scenarios.first?["substitutedIssuers"] as? [String] == ["airline", "anchor"], "\(json.output)")
    }
}
