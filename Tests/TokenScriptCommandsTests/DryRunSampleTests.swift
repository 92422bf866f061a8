import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// The README's dry-run example works as written: the shipped sample attestations are signed with the
/// demo key the flight ticket trusts, and take the ticket to `rebooked` without sending anything.
@Suite("dry-run: the README example")
struct DryRunSampleTests {
    @Test("sample-statuses.jsonl ends in rebooked, one request not sent, flightStatus answers, the bad query exits 1")
    func readmeExample() async throws {
        let options = try DryRun.Options.parse([
            TestPaths.tokenScripts + "/flight-ticket.xml",
            "--initial", TestPaths.tokenScripts + "/flight-ticket.tests/new-ticket.json",
            "--attestations", TestPaths.tokenScripts + "/flight-ticket.tests/sample-statuses.jsonl",
            "--json", "--query", "flightStatus", "--query", "noSuchInterface",
        ])
        let console = Console.capture()
        // The unknown interface fails its query, so the dry run fails (exit 1) after reporting everything.
        #expect(await DryRun.run(options, console: console) == 1, "\(console.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        #expect(report["status"] as? String == "failed")
        #expect((report["final"] as? [String: Any])?["state"] as? String == "rebooked", "\(console.output)")
        #expect(report["sent"] as? Int == 0)
        // The car-rental integrator's read-only view of the ticket.
        let queries = try #require(report["queries"] as? [String: Any])
        let status = try #require(queries["flightStatus"] as? [String: Any], "\(queries)")
        #expect(status["state"] as? String == "rebooked")
        #expect(status["flight"] as? String == "LH2024")
        #expect(status["delayMinutes"] as? Int == 400)
        #expect(
            ((queries["noSuchInterface"] as? [String: Any])?["error"] as? String)?.contains(
                "no sl:interface named noSuchInterface") == true)
    }
}
