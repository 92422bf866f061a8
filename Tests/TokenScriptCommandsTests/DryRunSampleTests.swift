import Foundation
import Testing
import TokenScriptTestSupport
@testable import TokenScriptCommands

/// The README's dry-run example works as written: the shipped sample attestations are signed with the
/// demo key the flight ticket trusts, and take the ticket to `rebooked` without sending anything.
@Suite("dry-run: the README example")
struct DryRunSampleTests {
    @Test("sample-statuses.jsonl verifies and ends in rebooked, with one request that is not sent")
    func readmeExample() async throws {
        var options = DryRun.Options(
            script: TestPaths.tokenScripts + "/flight-ticket.xml",
            attestations: TestPaths.tokenScripts + "/flight-ticket.tests/sample-statuses.jsonl")
        options.json = true
        let console = Console.capture()
        #expect(await DryRun.run(options, console: console) == 0, "\(console.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        #expect((report["final"] as? [String: Any])?["state"] as? String == "rebooked", "\(console.output)")
        #expect(report["sent"] as? Int == 0)
    }
}
