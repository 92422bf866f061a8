import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript test`: the flight ticket's scenarios (every branch) pass against their golden snapshots; a
/// difference is shown as a line diff and `--update` re-records; `--watch` re-runs on a change.
@Suite("test (scenarios)")
struct ScenarioTestCommandTests {
    static var flightTicketTests: String { TestPaths.tokenScripts + "/flight-ticket.tests" }

    /// A copy of the flight ticket and its scenarios in a temporary directory (`<tmp>/flight-ticket.tests`).
    static func copy(_ directory: TemporaryDirectory) throws -> String {
        let manager = FileManager.default
        try manager.copyItem(
            atPath: TestPaths.tokenScripts + "/flight-ticket.xml", toPath: directory.path + "/flight-ticket.xml")
        let tests = directory.path + "/flight-ticket.tests"
        try manager.copyItem(atPath: flightTicketTests, toPath: tests)
        return tests
    }

    @Test(
        """
        every flight-ticket branch passes: on time, lounge, rebooked, refused, retry then success, \
        timeouts until failure, expiry, new holder, what an integrator reads, the holder choosing a seat
        """
    )
    func flightTicketScenarios() async throws {
        // TOKENSCRIPT_UPDATE_GOLDENS=1 swift test … re-records the checked-in snapshots.
        let update = ProcessInfo.processInfo.environment["TOKENSCRIPT_UPDATE_GOLDENS"] == "1" ? ["--update"] : []
        let options = try ScenarioTest.Options.parse([Self.flightTicketTests, "--json"] + update)
        let console = Console.capture()
        let status = await ScenarioTest.run(options, console: console)
        #expect(status == 0, "\(console.output)\(console.errorOutput)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        let scenarios = try #require(summary["scenarios"] as? [[String: Any]])
        #expect(
            Set(scenarios.compactMap { $0["name"] as? String }) == [
                "on-time", "lounge", "rebooked", "hotel-refused", "rebook-failed-then-succeeded",
                "timeouts-until-failure",
                "expires-after-departure", "new-holder", "integrator-reads", "choose-seat",
            ])
        #expect(summary["failed"] as? Int == 0)
    }

    @Test(
        """
        the smart car follows its tokens: roadworthy once registered, insured and serviced; grounded with the \
        reason when insurance lapses or maintenance is overdue; another car's change is not its input
        """,
        arguments: [
            (
                "smart-car.tests",
                [
                    "becomes-roadworthy", "insurance-lapses", "maintenance-overdue",
                    "follows-its-own-tokens-only",
                ]
            ),
            ("car-insurance.tests", ["cover-ends"]),
        ])
    func smartCarScenarios(_ directory: String, _ expected: [String]) async throws {
        let update = ProcessInfo.processInfo.environment["TOKENSCRIPT_UPDATE_GOLDENS"] == "1" ? ["--update"] : []
        let options = try ScenarioTest.Options.parse([TestPaths.tokenScripts + "/" + directory, "--json"] + update)
        let console = Console.capture()
        let status = await ScenarioTest.run(options, console: console)
        #expect(status == 0, "\(console.output)\(console.errorOutput)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        let scenarios = try #require(summary["scenarios"] as? [[String: Any]])
        #expect(Set(scenarios.compactMap { $0["name"] as? String }) == Set(expected))
        #expect(summary["failed"] as? Int == 0)
    }

    @Test(
        """
        the timeouts-until-failure snapshot records 4 executor attempts with backoff, the anchor's, \
        and timeout then failed
        """
    )
    func timeoutSnapshotContent() throws {
        let text = try String(
            contentsOfFile: Self.flightTicketTests + "/timeouts-until-failure.golden.json", encoding: .utf8)
        let golden = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let steps = try #require(golden["steps"] as? [[String: Any]])
        let deliveries = try #require(steps.first?["deliveries"] as? [[String: Any]])
        #expect(deliveries.map { $0["to"] as? String } == ["rebooking", "rebooking", "rebook-failed"])
        #expect(
            deliveries.map { $0["trigger"] as? String } == ["significant-delay", "hotel-timeout", "hotel-unreachable"])
        let requests = try #require(deliveries[0]["requests"] as? [[String: Any]])
        let attempts = try #require(requests.first?["attempts"] as? [[String: Any]])
        #expect(attempts.map { $0["route"] as? String } == ["executor", "executor", "executor", "executor", "anchor"])
        #expect(attempts.map { $0["waitMilliseconds"] as? Int } == [0, 2000, 4000, 8000, 0])
        let outcomes = try #require(requests.first?["outcomes"] as? [[String: Any]])
        #expect(outcomes.map { $0["type"] as? String } == ["timeout", "failed"])
    }

    @Test("a changed run fails with a readable line diff; --update re-records and then it passes")
    func diffAndUpdate() async throws {
        let directory = try TemporaryDirectory()
        let tests = try Self.copy(directory)
        let golden = tests + "/lounge.golden.json"
        let original = try String(contentsOfFile: golden, encoding: .utf8)
        try original.replacingOccurrences(of: "\"minutes\": 200", with: "\"minutes\": 190")
            .write(toFile: golden, atomically: true, encoding: .utf8)

        let console = Console.capture()
        #expect(await ScenarioTest.run(try .parse([tests]), console: console) == 1)
        #expect(console.output.contains("FAIL lounge"), "\(console.output)")
        #expect(console.output.contains("PASS on-time"))
        #expect(console.output.contains("--- golden"))
        let lines = console.output.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("  - ") && $0.contains("\"minutes\": 190") }, "\(console.output)")
        #expect(lines.contains { $0.hasPrefix("  + ") && $0.contains("\"minutes\": 200") })
        #expect(lines.contains { $0.contains("@@ golden line") })
        #expect(console.output.contains("9 passed, 1 failed"))

        let update = try ScenarioTest.Options.parse([tests, "--update"])
        let recording = Console.capture()
        #expect(await ScenarioTest.run(update, console: recording) == 0, "\(recording.output)")
        #expect(recording.output.contains("RECORDED lounge"))
        #expect(try String(contentsOfFile: golden, encoding: .utf8) == original)
        #expect(await ScenarioTest.run(try .parse([tests]), console: Console.capture()) == 0)
    }

    @Test("an unmet expectation fails naming the step and field; a missing golden asks for --update")
    func expectationsAndMissingGolden() async throws {
        let directory = try TemporaryDirectory()
        let tests = try Self.copy(directory)
        let scenario = tests + "/lounge.scenario.json"
        let text = try String(contentsOfFile: scenario, encoding: .utf8)
        try text.replacingOccurrences(
            of: "\"trigger\": \"lounge-access\", \"state\": \"lounge\"",
            with: "\"trigger\": \"lounge-access\", \"state\": \"rebooking\""
        )
        .write(toFile: scenario, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: tests + "/on-time.golden.json")
        let console = Console.capture()
        #expect(await ScenarioTest.run(try .parse([tests]), console: console) == 1)
        #expect(console.output.contains("step 2: state: expected rebooking, got lounge"), "\(console.output)")
        #expect(console.output.contains("no golden snapshot on-time.golden.json"))
    }

    @Test("a malformed scenario is an error naming the field")
    func malformedScenario() async throws {
        let directory = try TemporaryDirectory()
        let tests = try Self.copy(directory)
        try """
        {"script": "../flight-ticket.xml", "keys": {"airline": "0x11"}, "steps": []}
        """.write(toFile: tests + "/bad.scenario.json", atomically: true, encoding: .utf8)
        try """
        {"script": "../flight-ticket.xml", "stpes": []}
        """.write(toFile: tests + "/typo.scenario.json", atomically: true, encoding: .utf8)
        let console = Console.capture()
        #expect(await ScenarioTest.run(try .parse([tests]), console: console) == 1)
        #expect(console.output.contains("ERROR bad:"), "\(console.output)")
        #expect(console.output.contains("keys.airline"))
        #expect(console.output.contains("ERROR typo:"))
        #expect(console.output.contains("steps: expected a list"))
    }

    @Test("--watch: one polling iteration sees a saved file, the next sees nothing new")
    func watchPolling() async throws {
        let directory = try TemporaryDirectory()
        let tests = try Self.copy(directory)
        var watcher = ScenarioWatcher(directory: tests)
        var changed = watcher.poll()
        #expect(!changed)
        let file = tests + "/lounge.scenario.json"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 5)], ofItemAtPath: file)
        changed = watcher.poll()
        #expect(changed)
        changed = watcher.poll()
        #expect(!changed)
        // The TokenScript a scenario names is watched too.
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: 10)], ofItemAtPath: directory.path + "/flight-ticket.xml")
        changed = watcher.poll()
        #expect(changed)

        let console = Console.capture()
        #expect(await ScenarioTest.watch(try .parse([tests]), console: console, interval: 0.01, iterations: 1) == 0)
        #expect(console.output.contains("10 passed, 0 failed"))
    }
}
