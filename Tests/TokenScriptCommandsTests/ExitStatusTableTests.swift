import Foundation
import Testing
import TokenScriptTesting

@testable import TokenScriptCommands

/// The README's exit-status table, checked per command: each command is run in-process, the way the
/// executable runs it (parsed from a real command line), once for each status it can end with, and again with
/// `--json`, where the one object on stdout must carry the matching `"status"` word.
@Suite("exit status: one rule for every command")
struct ExitStatusTableTests {
    static let tokenScripts = TestPaths.tokenScripts
    static let replay = TestPaths.fixtures + "/replay"
    static let flightTests = TestPaths.tokenScripts + "/flight-ticket.tests"
    static let statuses = flightTests + "/sample-statuses.jsonl"

    /// One row of the table: a command line, the status it must end with, and whether it has `--json`.
    struct Row: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var status: CommandStatus
        var json = true
        var testDescription: String { "tokenscript \(arguments.joined(separator: " ")) → \(status.rawValue)" }
    }

    static let rows: [Row] = [
        Row(arguments: ["validate", tokenScripts + "/membership-2024.xml"], status: .success),
        Row(arguments: ["validate", TestPaths.fixtures + "/hostile-xml/mismatched-tag.xml"], status: .failed),
        Row(arguments: ["validate", "/nonexistent-directory/none"], status: .usage),
        Row(arguments: ["inspect", tokenScripts + "/event-ticket-erc721.xml"], status: .success),
        Row(arguments: ["inspect", TestPaths.fixtures + "/hostile-xml/mismatched-tag.xml"], status: .usage),
        Row(
            arguments: [
                "eval", tokenScripts + "/event-ticket-erc721.xml", "--chain", "31337=http://127.0.0.1:9",
                "--token-id", "0x010203", "--attribute", "eventId",
            ], status: .success),
        Row(
            arguments: [
                "eval", tokenScripts + "/reward-token-erc20.xml", "--chain", "1=http://127.0.0.1:9", "--timeout", "2",
            ], status: .failed),
        Row(arguments: ["eval", tokenScripts + "/reward-token-erc20.xml", "--chain", "nonsense"], status: .usage),
        Row(arguments: ["test", flightTests + "/lounge.scenario.json"], status: .success),
        Row(arguments: ["test", "/nonexistent-directory"], status: .usage),
        Row(
            arguments: [
                "dry-run", tokenScripts + "/flight-ticket.xml", "--initial", flightTests + "/new-ticket.json",
                "--attestations", statuses,
            ],
            status: .success),
        Row(
            arguments: [
                "dry-run", tokenScripts + "/flight-ticket.xml", "--initial", flightTests + "/new-ticket.json",
                "--attestations", statuses, "--query",
                "noSuchInterface",
            ], status: .failed),
        Row(
            arguments: ["dry-run", tokenScripts + "/flight-ticket.xml", "--attestations", "/nonexistent.jsonl"],
            status: .usage),
        Row(
            arguments: ["replay", replay + "/flight-ticket.journal.jsonl", "--script", replay + "/flight-ticket.xml"],
            status: .success),
        Row(
            arguments: [
                "replay", replay + "/flight-ticket-diverging.journal.jsonl", "--script", replay + "/flight-ticket.xml",
            ], status: .failed),
        Row(arguments: ["replay", "/nonexistent.jsonl", "--script", replay + "/flight-ticket.xml"], status: .usage),
        Row(arguments: ["keys", "new", "--scheme", "ed25519"], status: .success),
        Row(arguments: ["keys", "new", "--scheme", "rsa"], status: .usage),
    ]

    /// Runs a command line in-process, as the executable's `LibraryCommand.run()` does.
    static func run(_ arguments: [String]) async throws -> (status: Int32, console: Console) {
        let command = try TokenScriptCLI.parseAsRoot(arguments)
        let library = try #require(command as? any LibraryCommand, "\(arguments) is not a library command")
        let console = Console.capture()
        return (await call(library, console), console)
    }

    private static func call<Command: LibraryCommand>(_ command: Command, _ console: Console) async -> Int32 {
        await Command.library(command.options, console)
    }

    @Test("each command ends with the documented status, and --json says the same", arguments: rows)
    func row(_ row: Row) async throws {
        let (status, console) = try await Self.run(row.arguments)
        #expect(status == row.status.rawValue, "\(console.output)\n\(console.errorOutput)")
        if row.status == .usage { #expect(console.output.isEmpty, "usage errors print nothing on stdout") }
        guard row.json else { return }
        let (jsonStatus, json) = try await Self.run(row.arguments + ["--json"])
        #expect(jsonStatus == row.status.rawValue)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any],
            "one JSON object on stdout: \(json.output)")
        #expect(object["status"] as? String == row.status.jsonStatus, "\(json.output)")
        if row.status == .usage {
            let error = try #require(object["error"] as? [String: Any], "\(json.output)")
            #expect((error["message"] as? String)?.isEmpty == false)
        } else {
            #expect(object["error"] == nil)
        }
    }

    @Test("attest sign: 0 with one wire line, 2 with nothing on stdout for an unusable payload")
    func attestSign() async throws {
        let directory = try TemporaryDirectory()
        let key = directory.path + "/issuer.key"
        #expect(try await Self.run(["keys", "new", "--scheme", "eip191", "--out", key]).status == 0)
        let base = ["attest", "sign", "--key", key, "--topic", "t/1", "--type", "delay", "--issued-at", "1"]
        let signed = try await Self.run(base + ["--payload", #"{"delayMinutes": 5}"#])
        #expect(signed.status == CommandStatus.success.rawValue)
        #expect(signed.console.output.split(separator: "\n").count == 1)
        let refused = try await Self.run(base + ["--payload", "{not json"])
        #expect(refused.status == CommandStatus.usage.rawValue)
        #expect(refused.console.output.isEmpty)
    }

    @Test("eval of a document with an error is unusable input: exit 2, the error's place named")
    func evalOfInvalidDocument() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/broken.xml"
        let text = try String(contentsOfFile: Self.tokenScripts + "/event-ticket-erc721.xml", encoding: .utf8)
        try text.replacingOccurrences(of: #"<ts:attribute name="eventId">"#, with: "<ts:attribute>")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let (status, console) = try await Self.run([
            "eval", path, "--chain", "31337=http://127.0.0.1:9", "--token-id", "1", "--json",
        ])
        #expect(status == CommandStatus.usage.rawValue, "\(console.output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["file"] as? String == path)
        #expect(error["line"] as? Int == 171, "\(error)")
        #expect(error["message"] as? String == "<ts:attribute> needs a 'name' attribute")
    }

    @Test("a failed scenario exits 1")
    func failedScenario() async throws {
        let directory = try TemporaryDirectory()
        let tests = try ScenarioTestCommandTests.copy(directory)
        let scenario = tests + "/lounge.scenario.json"
        let text = try String(contentsOfFile: scenario, encoding: .utf8)
        try text.replacingOccurrences(of: #""loungeAccess": true"#, with: #""loungeAccess": false"#)
            .write(toFile: scenario, atomically: true, encoding: .utf8)
        let (status, console) = try await Self.run(["test", scenario, "--json"])
        #expect(status == CommandStatus.failed.rawValue, "\(console.output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "failed")
    }

    @Test("the real executable: a usage error from the flag parser exits 2, as JSON on stdout with --json")
    func parserUsage() async throws {
        let binary = TestPaths.executable("tokenscript")
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the package first: \(binary)")
        let plain = try await Subprocess.run(binary, ["validate", "--no-such-flag", Self.tokenScripts])
        #expect(plain.status == 2)
        #expect(plain.standardOutput.isEmpty)
        #expect(plain.standardError.contains("--no-such-flag"), "\(plain.standardError)")
        let json = try await Subprocess.run(binary, ["validate", "--no-such-flag", "--json", Self.tokenScripts])
        #expect(json.status == 2)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any],
            "\(json.standardOutput)")
        #expect(object["status"] as? String == "error")
        #expect(((object["error"] as? [String: Any])?["message"] as? String)?.contains("--no-such-flag") == true)
        let help = try await Subprocess.run(binary, ["validate", "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("USAGE"))
    }
}
