import Foundation
import Testing
import TokenScriptRuntime
import TokenScriptTesting

@testable import TokenScriptCommands

/// Issue 8, class 1: hostile numbers (`Fixtures/hostile-numbers/`) through the commands, in-process and as the
/// real executable: no signal death, an error naming the field, and the next operation unaffected.
@Suite("hostile numbers through the commands")
struct HostileNumberCommandTests {
    static let fixtures = TestPaths.fixtures + "/hostile-numbers"

    /// Each hostile document, the attribute its error must name, and the file's line:column.
    static let documents: [(String, String, String)] = [
        ("effect-timeout.xml", "timeout=\"P999999999999D\"", "effect-timeout.xml:14:"),
        ("retry-initial.xml", "initial=\"P999999999999D\"", "retry-initial.xml:15:"),
        ("retry-max.xml", "max=\"P999999999999DT999999999999H\"", "retry-max.xml:15:"),
        ("schedule-after.xml", "after=\"P999999999999D\"", "schedule-after.xml:11:"),
        ("schedule-every.xml", "every=\"PT999999999999S\"", "schedule-every.xml:11:"),
    ]

    @Test(
        """
        validate DIR: every hostile duration is an out-of-range error at file:line:column, \
        and the valid file is still reported valid
        """
    )
    func validateDirectory() throws {
        let options = try Validate.Options.parse([Self.fixtures + "/documents", "--json"])
        let console = Console.capture()
        #expect(Validate.run(options, console: console) == 1)
        let report = try JSONDecoder().decode(Validate.Report.self, from: Data(console.output.utf8))
        #expect(report.summary.files == Self.documents.count + 1)
        let failing = report.files.filter { !$0.valid || !$0.errors.isEmpty }
        #expect(report.summary.valid == 1, "\(failing.map { "\($0.file): \($0.errors.map(\.message))" })")
        #expect(
            report.files.first { $0.file.hasSuffix("valid.xml") && !$0.file.hasSuffix("invalid.xml") }?.valid == true)

        let human = Console.capture()
        #expect(Validate.run(try Validate.Options.parse([Self.fixtures + "/documents"]), console: human) == 1)
        for (file, attribute, location) in Self.documents {
            let entry = try #require(report.files.first { $0.file.hasSuffix("/" + file) }, "\(file)")
            #expect(!entry.valid, "\(file)")
            #expect(
                entry.errors.contains { $0.message.contains(attribute) && $0.message.contains("out of range") },
                "\(file): \(entry.errors.map(\.message))")
            #expect(
                human.output.split(separator: "\n").contains { $0.contains(location) && $0.contains("out of range") },
                "\(file): \(human.output)")
        }
    }

    /// Each hostile wire attestation and the field its error must name.
    static let attestations: [(String, String)] = [
        ("issuedAt-int64-min.jsonl", "issuedAt"),
        ("issuedAt-negative.jsonl", "issuedAt"),
        ("issuedAt-2-pow-63.jsonl", "issuedAt"),
        ("issuedAt-2-pow-53.jsonl", "issuedAt"),
        ("expiresAt-int64-min.jsonl", "expiresAt"),
        ("payload-int64-min.jsonl", "payload.amount"),
        ("payload-huge.jsonl", "payload.amount"),
    ]

    @Test(
        "dry-run: a hostile number in a wire attestation is an error naming the line and the field",
        arguments: attestations)
    func dryRun(file: String, field: String) async throws {
        let options = try DryRun.Options.parse([
            TestPaths.fixtures + "/engine/counter.xml", "--attestations", Self.fixtures + "/attestations/" + file,
        ])
        let console = Console.capture()
        #expect(await DryRun.run(options, console: console) != 0)
        let text = console.output + console.errorOutput
        #expect(text.contains(file + ":1: " + field + ":"), "\(text)")
        #expect(text.contains("out of range") || text.contains("integer beyond"), "\(text)")
    }

    @Test("dry-run --now 2^64-1: the acceptance time is clamped to the attestation range, the run completes")
    func dryRunHugeNow() async throws {
        let directory = try TemporaryDirectory()
        let script = try DryRunCommandTests.script(in: directory.path, hotelAPI: "http://127.0.0.1:9/api")
        let options = try DryRun.Options.parse([
            script, "--attestations", try DryRunCommandTests.attestations(in: directory.path), "--now", "\(UInt64.max)",
            "--json",
        ])
        let console = Console.capture()
        #expect(await DryRun.run(options, console: console) == 0, "\(console.output)\(console.errorOutput)")
        // Every attestation is judged at the clamped time: none is "not yet valid", the first is applied.
        #expect(console.output.contains("\"applied\""), "\(console.output)")
    }

    @Test("replay: a journal whose attestation has issuedAt = -2^63 is refused naming the line and the field")
    func replay() async throws {
        let directory = try TemporaryDirectory()
        let golden = try String(contentsOfFile: TestPaths.fixtures + "/golden/counter.journal.jsonl", encoding: .utf8)
        let edited = golden.replacingOccurrences(
            of: #"\"issuedAt\":1790000001"#, with: #"\"issuedAt\":-9223372036854775808"#)
        #expect(edited != golden)
        let path = directory.path + "/journal.jsonl"
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        let options = try ReplayJournal.Options.parse([
            path, "--script", TestPaths.fixtures + "/engine/counter.xml", "--json",
        ])
        let console = Console.capture()
        // Refused (unusable or tampered), never a trap; the report names the line and the field.
        #expect(await ReplayJournal.run(options, console: console) != 0)
        #expect(console.output.contains("issuedAt"), "\(console.output)")
        #expect(console.output.contains("\"line\": 2") || console.output.contains(":2:"), "\(console.output)")
    }

    /// Hostile limits as flags, and the flag each error must name.
    static let limits: [([String], String)] = [
        (["--timeout", "inf"], "--timeout: inf is out of range"),
        (["--timeout", "nan"], "--timeout: nan is out of range"),
        (["--timeout", "1e12"], "--timeout: 1000000000000.0 is out of range"),
        (["--timeout=-1"], "--timeout: -1.0 is out of range"),
        (["--memory-limit", "9223372036854775807"], "--memory-limit: 9223372036854775807 is out of range"),
        (["--memory-limit=-1"], "--memory-limit: -1 is out of range"),
        (["--instruction-limit", "18446744073709551615"], "--instruction-limit: 18446744073709551615 is out of range"),
    ]

    @Test(
        "sandbox run: limits out of range are bad usage (2) naming the flag, and the next run works",
        arguments: limits.indices)
    func sandboxLimits(index: Int) throws {
        let (flags, message) = Self.limits[index]
        let label = flags.joined(separator: " ")
        let directory = try TemporaryDirectory()
        let path = directory.path + "/script.lua"
        try "return 1 + 1".write(toFile: path, atomically: true, encoding: .utf8)
        let options = try SandboxRun.Options.parse([path] + flags)
        let console = Console.capture()
        #expect(SandboxRun.run(options, console: console) == 2, "\(label)")
        #expect(console.errorOutput.contains(message), "\(label): \(console.errorOutput)")
        // The library entry point answers the same way instead of trapping.
        let failure = #expect(throws: CommandFailure.self, "\(label)") { try SandboxRun.execute(options) }
        #expect(failure?.message.contains(message) == true, "\(label)")

        let next = Console.capture()
        #expect(
            SandboxRun.run(try SandboxRun.Options.parse([path]), console: next) == 0, "\(label): \(next.errorOutput)")
        #expect(next.output.contains("2"))
    }

    @Test("sandbox run: limits without a flag (output, result) are refused by name too, never trapping")
    func sandboxLibraryLimits() {
        var output = SandboxLimits()
        output.outputBytes = -1
        #expect(SandboxRun.limitProblem(output)?.contains("outputBytes: -1 is out of range") == true)
        var result = SandboxLimits()
        result.resultBytes = .max
        #expect(SandboxRun.limitProblem(result)?.contains("resultBytes: 9223372036854775807 is out of range") == true)
    }

    @Test(
        "eval: --timeout inf, nan and 1e12 are usage errors naming the flag",
        arguments: [Double.infinity, .nan, 1e12, -1])
    func evalTimeout(timeout: Double) async throws {
        let options = try Eval.Options.parse([
            TestPaths.tokenScripts + "/membership-2024.xml", "--chain", "1=http://127.0.0.1:9", "--timeout=\(timeout)",
        ])
        let console = Console.capture()
        #expect(await Eval.run(options, console: console) == 2)
        #expect(console.errorOutput.contains("--timeout: \(timeout) is out of range"), "\(console.errorOutput)")
    }

    @Test("the real executable: hostile flags, documents and attestations end with an exit status, never a signal")
    func executable() async throws {
        let binary = TestPaths.executable("tokenscript")
        try #require(
            FileManager.default.isExecutableFile(atPath: binary), "build the package first (swift build): \(binary)")
        let directory = try TemporaryDirectory()
        let script = directory.path + "/script.lua"
        try "return 1".write(toFile: script, atomically: true, encoding: .utf8)
        let runs: [(String, [String], Int32, String)] = [
            ("--timeout inf", ["sandbox", "run", "--timeout", "inf", script], 2, "--timeout"),
            ("--timeout 1e12", ["sandbox", "run", "--timeout", "1e12", script], 2, "--timeout"),
            (
                "--memory-limit 2^63-1", ["sandbox", "run", "--memory-limit", "9223372036854775807", script], 2,
                "--memory-limit"
            ),
            ("validate DIR", ["validate", Self.fixtures + "/documents"], 1, "out of range"),
            (
                "dry-run issuedAt -2^63",
                [
                    "dry-run", TestPaths.fixtures + "/engine/counter.xml", "--attestations",
                    Self.fixtures + "/attestations/issuedAt-int64-min.jsonl",
                ], 2, "issuedAt"
            ),
        ]
        for (label, arguments, status, mention) in runs {
            let outcome = try await Subprocess.run(binary, arguments)
            #expect(outcome.status < 128, "\(label): killed by signal \(outcome.status - 128)")
            #expect(outcome.status == status, "\(label): \(outcome.status) \(outcome.standardError)")
            #expect(
                (outcome.standardOutput + outcome.standardError).contains(mention),
                "\(label): \(outcome.standardOutput) \(outcome.standardError)")
        }
    }
}
