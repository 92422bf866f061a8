import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// `test` and `dry-run` show a failed transition's Lua error at its document line with its trigger, in text and
/// `--json`, and what `print` wrote (`--verbose`, always in `--json`); `test --update` refuses to record a run
/// with an unexpected failed step.
@Suite("test and dry-run: Lua errors of failed steps")
struct StepFailureOutputTests {
    /// `<tmp>/meter.xml` (the failing transition) and `<tmp>/meter.tests/fails.scenario.json`: a `tock` that
    /// counts, then a `tick` whose transition indexes nil. `expectFailure` marks the second step as expected.
    static func project(_ directory: TemporaryDirectory, expectFailure: Bool = false) throws -> (
        script: String, tests: String, errorLine: Int
    ) {
        let script = try LuaDocuments.write(LuaDocuments.failingTransition, to: directory.path)
        let tests = directory.path + "/meter.tests"
        try FileManager.default.createDirectory(atPath: tests, withIntermediateDirectories: true)
        let expect = expectFailure ? #", "expect": {"outcome": "failed"}"# : ""
        let scenario = """
            {
              "script": "../meter.xml",
              "keys": {"meter": "\(LuaDocuments.meterSeed)"},
              "steps": [
                {"attestation": {"issuer": "meter", "topic": "meter/a", "type": "tock", "payload": {}}},
                {"attestation": {"issuer": "meter", "topic": "meter/a", "type": "tick", "payload": {}}\(expect)}
              ]
            }
            """
        try scenario.write(toFile: tests + "/fails.scenario.json", atomically: true, encoding: .utf8)
        let line = try #require(LuaDocuments.line(of: "RUNTIME", in: LuaDocuments.failingTransition))
        return (script, tests, line)
    }

    static let error = "trigger bump: attempt to index a nil value (local 'x')"

    @Test("test: the failure names the step, the trigger and the document line of the Lua error, in text and JSON")
    func testShowsLuaError() async throws {
        let directory = try TemporaryDirectory()
        let (script, tests, line) = try Self.project(directory)
        let shown = URL(fileURLWithPath: script).standardizedFileURL.path

        let console = Console.capture()
        #expect(await ScenarioTest.run(try ScenarioTest.Options.parse([tests]), console: console) == 1)
        #expect(console.output.contains("FAIL fails"), "\(console.output)")
        #expect(
            console.output.contains("step 2 (delivery 2): trigger bump failed: \(shown):\(line): \(Self.error)"),
            "\(console.output)")
        #expect(!console.output.contains("bump:3:"))
        #expect(!console.output.contains("print ("), "print output is shown with --verbose only")

        let json = Console.capture()
        #expect(await ScenarioTest.run(try ScenarioTest.Options.parse([tests, "--json"]), console: json) == 1)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let scenario = try #require((summary["scenarios"] as? [[String: Any]])?.first)
        let failure = try #require((scenario["stepFailures"] as? [[String: Any]])?.first)
        #expect(failure["step"] as? Int == 2)
        #expect(failure["trigger"] as? String == "bump")
        #expect(failure["line"] as? Int == line)
        #expect(failure["file"] as? String == shown)
        #expect(failure["error"] as? String == "attempt to index a nil value (local 'x')")
        #expect(failure["message"] as? String == "\(shown):\(line): \(Self.error)")
        // print output is always in --json, failed transitions' included.
        let log = try #require(scenario["log"] as? [[String: Any]])
        #expect(log.map { $0["text"] as? String } == ["tock", "bumping 1"])
        #expect(log.map { $0["trigger"] as? String } == ["ok", "bump"])
    }

    @Test("test --verbose prints what each transition wrote with print, with its step and trigger")
    func verbosePrint() async throws {
        let directory = try TemporaryDirectory()
        let (_, tests, _) = try Self.project(directory)
        let console = Console.capture()
        _ = await ScenarioTest.run(try ScenarioTest.Options.parse([tests, "--verbose"]), console: console)
        #expect(console.output.contains("print (step 1, trigger ok): tock"), "\(console.output)")
        #expect(console.output.contains("print (step 2, trigger bump): bumping 1"))
    }

    @Test("test --update refuses to record a run with an unexpected failed step; an expected failure is recorded")
    func updateRefusesFailedStep() async throws {
        let directory = try TemporaryDirectory()
        let (_, tests, line) = try Self.project(directory)
        let golden = tests + "/fails.golden.json"
        let console = Console.capture()
        #expect(await ScenarioTest.run(try ScenarioTest.Options.parse([tests, "--update"]), console: console) == 1)
        #expect(!FileManager.default.fileExists(atPath: golden))
        #expect(console.output.contains("not recorded: a transition failed in step 2"), "\(console.output)")
        #expect(console.output.contains(":\(line): \(Self.error)"))

        let json = Console.capture()
        #expect(
            await ScenarioTest.run(try ScenarioTest.Options.parse([tests, "--update", "--json"]), console: json) == 1)
        #expect(!FileManager.default.fileExists(atPath: golden))

        let expected = try TemporaryDirectory()
        let (_, expectedTests, _) = try Self.project(expected, expectFailure: true)
        let recorded = Console.capture()
        #expect(
            await ScenarioTest.run(try ScenarioTest.Options.parse([expectedTests, "--update"]), console: recorded) == 0,
            "\(recorded.output)")
        #expect(FileManager.default.fileExists(atPath: expectedTests + "/fails.golden.json"))
        let again = Console.capture()
        #expect(await ScenarioTest.run(try ScenarioTest.Options.parse([expectedTests]), console: again) == 0)
    }

    static func attestations(_ directory: TemporaryDirectory) throws -> String {
        let lines = [
            try LuaDocuments.attestation("t1", type: "tock", at: 1_790_000_000).json,
            try LuaDocuments.attestation("t2", type: "tick", at: 1_790_000_060).json,
        ]
        let path = directory.path + "/inputs.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("dry-run: a failed step shows the Lua error at its document line with the trigger, in text and JSON")
    func dryRunShowsLuaError() async throws {
        let directory = try TemporaryDirectory()
        let (script, _, line) = try Self.project(directory)
        let inputs = try Self.attestations(directory)

        let console = Console.capture()
        // A failed step is a failed dry run: exit status 1.
        #expect(await DryRun.run(try DryRun.Options.parse([script, "--attestations", inputs]), console: console) == 1)
        #expect(console.output.contains("bump FAILED: \(script):\(line): \(Self.error)"), "\(console.output)")
        #expect(console.output.contains("delivery 2: trigger bump failed: \(script):\(line): \(Self.error)"))
        #expect(!console.output.contains("print ("))

        let query = Console.capture()
        _ = await DryRun.run(
            try DryRun.Options.parse([script, "--attestations", inputs, "--query", "broken"]), console: query)
        let queryLine = try #require(LuaDocuments.line(of: "QUERY", in: LuaDocuments.failingTransition))
        #expect(
            query.output.contains(
                "Query broken: error: interface broken: error: interface broken (document line \(queryLine)): "
                    + "attempt to index a nil value (local 'missing')"), "\(query.output)")

        let verbose = Console.capture()
        _ = await DryRun.run(
            try DryRun.Options.parse([script, "--attestations", inputs, "--verbose"]), console: verbose)
        #expect(verbose.output.contains("print (delivery 1, trigger ok): tock"), "\(verbose.output)")
        #expect(verbose.output.contains("print (delivery 2, trigger bump): bumping 1"))

        let json = Console.capture()
        _ = await DryRun.run(try DryRun.Options.parse([script, "--attestations", inputs, "--json"]), console: json)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.map { $0["outcome"] as? String } == ["applied", "failed"])
        let failure = try #require(steps[1]["failure"] as? [String: Any])
        #expect(failure["trigger"] as? String == "bump")
        #expect(failure["line"] as? Int == line)
        #expect(failure["file"] as? String == script)
        #expect(failure["message"] as? String == "\(script):\(line): \(Self.error)")
        #expect(steps.map { $0["log"] as? [String] } == [["tock"], ["bumping 1"]])
    }

    @Test("dry-run: an effect request whose Lua fails is shown at its document line, in text and JSON")
    func dryRunRequestError() async throws {
        let text = LuaDocuments.document(
            """
                    <sl:trigger name="ask">
                        <sl:on-attestation topic="meter/*" type="tick"/>
                        <sl:transition>
                            return {effects = {{name = "notify", input = {}}}}
                        </sl:transition>
                    </sl:trigger>
                    <sl:effect name="notify" method="POST" url="https://example.org/notify" timeout="PT5S">
                        <sl:request>
                            local missing = input.nothing
                            return {body = missing.value} -- REQUEST
                        </sl:request>
                    </sl:effect>
            """)
        let directory = try TemporaryDirectory()
        let script = try LuaDocuments.write(text, to: directory.path)
        let line = try #require(LuaDocuments.line(of: "REQUEST", in: text))
        let inputs = directory.path + "/inputs.jsonl"
        try (try LuaDocuments.attestation("t1", type: "tick", at: 1_790_000_000).json + "\n")
            .write(toFile: inputs, atomically: true, encoding: .utf8)
        let error = "request notify: attempt to index a nil value (local 'missing')"

        let console = Console.capture()
        _ = await DryRun.run(try DryRun.Options.parse([script, "--attestations", inputs]), console: console)
        #expect(console.output.contains("not built: "), "\(console.output)")
        #expect(console.output.contains("\(script):\(line): \(error)"), "\(console.output)")

        let json = Console.capture()
        _ = await DryRun.run(try DryRun.Options.parse([script, "--attestations", inputs, "--json"]), console: json)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let steps = try #require(report["steps"] as? [[String: Any]])
        let errors = try #require(steps.first?["requestErrors"] as? [String])
        #expect(
            errors.first?.contains("request notify (document line \(line)): attempt to index a nil value") == true,
            "\(errors)")
        #expect(!json.output.contains("notify:2:"))
    }
}
