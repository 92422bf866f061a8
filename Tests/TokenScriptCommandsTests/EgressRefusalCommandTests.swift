import Foundation
import Testing
import TokenScriptEgress
import TokenScriptTesting

@testable import TokenScriptCommands

/// `dry-run` and `test` apply the egress policy as a node would and show a refused request as refused,
/// with the reason, so an issuer sees it before deploying.
@Suite("egress refusals in dry-run and test")
struct EgressRefusalCommandTests {
    struct Target: Sendable, CustomTestStringConvertible {
        var label: String
        /// `PORT` stands for the listener's port.
        var hotelAPI: String
        var reason: String
        var testDescription: String { label }
    }

    static let targets: [Target] = [
        Target(
            label: "cloud metadata", hotelAPI: "https://169.254.169.254/latest",
            reason: "169.254.169.254 is link-local (169.254.0.0/16)"),
        Target(label: "plain http to loopback", hotelAPI: "http://127.0.0.1:PORT", reason: "plain http to 127.0.0.1"),
        Target(
            label: "https to localhost", hotelAPI: "https://localhost:PORT",
            reason: "localhost resolves to 127.0.0.1, which is loopback"),
        Target(
            label: "mapped IPv6 private", hotelAPI: "https://[::ffff:10.0.0.1]",
            reason: "IPv4-mapped form of 10.0.0.1, private"),
        Target(label: "userinfo", hotelAPI: "https://ops:secret@hotels.example.org", reason: "userinfo"),
    ]

    @Test("dry-run shows the refused request, its reason and an error outcome, in --json and text", arguments: targets)
    func dryRun(_ target: Target) async throws {
        let listener = try LocalListener()
        let directory = try TemporaryDirectory()
        let script = try DryRunCommandTests.script(in: directory.path, hotelAPI: "https://hotels.example.org")
        let arguments = [
            script, "--attestations", try DryRunCommandTests.attestations(in: directory.path),
            "--env", "hotelApi=" + target.hotelAPI.replacingOccurrences(of: "PORT", with: "\(listener.port)"),
        ]
        let options = try DryRun.Options.parse(arguments + ["--json"])
        let console = Console.capture()
        #expect(await DryRun.run(options, console: console) == 0, "\(console.output)\(console.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        let requests = try #require(report["requests"] as? [[String: Any]])
        let refused = try #require(requests.first?["refused"] as? String)
        #expect(refused.contains(target.reason), "\(refused)")
        #expect(requests.first?["outcomes"] as? [String] == ["error"])
        let attempts = try #require(requests.first?["attempts"] as? [[String: Any]])
        #expect(attempts.count == 1)
        #expect((attempts.first?["response"] as? [String: Any])?["refused"] as? String == refused)
        #expect((report["cost"] as? [String: Int])?["requests"] == 0)

        let human = Console.capture()
        #expect(await DryRun.run(try DryRun.Options.parse(arguments), console: human) == 0)
        #expect(human.output.contains("REFUSED by the egress policy: \(refused)"), "\(human.output)")
        #expect(listener.connectionCount() == 0)
    }

    @Test("the real CLI: refused by default; --allow-egress 127.0.0.1/32 --allow-http admits it; a bad entry is named")
    func commandLine() async throws {
        let listener = try LocalListener()
        let directory = try TemporaryDirectory()
        let script = try DryRunCommandTests.script(in: directory.path, hotelAPI: "http://127.0.0.1:\(listener.port)")
        let attestations = try DryRunCommandTests.attestations(in: directory.path)
        let cli = TestPaths.executable("tokenscript")

        let refused = try await Subprocess.run(cli, ["dry-run", script, "--attestations", attestations])
        #expect(refused.status == 0, "\(refused.standardError)")
        #expect(
            refused.standardOutput.contains("REFUSED by the egress policy: plain http to 127.0.0.1"),
            "\(refused.standardOutput)")

        let allowed = try await Subprocess.run(
            cli,
            [
                "dry-run", script, "--attestations", attestations, "--allow-egress", "127.0.0.1/32", "--allow-http",
                "--json",
            ])
        #expect(allowed.status == 0, "\(allowed.standardError)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(allowed.standardOutput.utf8)) as? [String: Any])
        let requests = try #require(report["requests"] as? [[String: Any]])
        #expect(requests.first?["refused"] == nil)
        #expect(requests.first?["outcomes"] as? [String] == ["success"])

        let bad = try await Subprocess.run(
            cli, ["dry-run", script, "--attestations", attestations, "--allow-egress", "10.0.0.1/8"])
        #expect(bad.status != 0)
        #expect(
            bad.standardError.contains("--allow-egress \"10.0.0.1/8\": \"10.0.0.1/8\" has host bits set"),
            "\(bad.standardError)")
        #expect(listener.connectionCount() == 0)
    }

    @Test("test prints REFUSED with the step, the effect and the reason, and lists refusals in --json")
    func scenarioTest() async throws {
        let directory = try TemporaryDirectory()
        let tests = try ScenarioTestCommandTests.copy(directory)
        let source = try String(contentsOfFile: tests + "/rebooked.scenario.json", encoding: .utf8)
        let scenario = source.replacingOccurrences(
            of: #""instance":"#, with: #""env": {"hotelApi": "https://169.254.169.254/latest"}, "instance":"#)
        #expect(scenario != source)
        let file = tests + "/metadata.scenario.json"
        try scenario.write(toFile: file, atomically: true, encoding: .utf8)

        let options = try ScenarioTest.Options.parse([file, "--update"])
        let console = Console.capture()
        _ = await ScenarioTest.run(options, console: console)
        #expect(
            console.output.contains(
                "REFUSED step 1: effect rebookHotel: 169.254.169.254 is link-local (169.254.0.0/16) and not allowed"),
            "\(console.output)")

        let json = Console.capture()
        _ = await ScenarioTest.run(try ScenarioTest.Options.parse([file, "--json"]), console: json)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let refusals = try #require((summary["scenarios"] as? [[String: Any]])?.first?["refusals"] as? [String])
        #expect(refusals.count == 1)
        #expect(refusals.first?.contains("169.254.169.254") == true)
        let golden = try String(contentsOfFile: tests + "/metadata.golden.json", encoding: .utf8)
        #expect(golden.contains(#""refused""#))
    }
}
