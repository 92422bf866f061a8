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
        let text = Console.capture()
        #expect(await ScenarioTest.run(try .parse([Self.scenario]), console: text) == 0, "\(text.output)")
        #expect(
            text.output.contains(
                "PASS integrator-reads\n  test keys stood in for the document's keys of: airline, anchor"))

        let json = Console.capture()
        #expect(await ScenarioTest.run(try .parse([Self.scenario, "--json"]), console: json) == 0)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let scenarios = try #require(summary["scenarios"] as? [[String: Any]])
        #expect(scenarios.first?["substitutedIssuers"] as? [String] == ["airline", "anchor"])
    }
}
