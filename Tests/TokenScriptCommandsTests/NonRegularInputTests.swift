import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// Every file a command reads — documents, scenario scripts, attestations, journals, sandbox scripts —
/// is refused at once when it is a FIFO (which would block `open()` forever) and the command goes on with
/// the next thing it has to do (issue 8, class 7). Each attempt has a deadline, so a regression fails.
@Suite("Non-regular command inputs")
struct NonRegularInputTests {
    static let good = TestPaths.tokenScripts + "/membership-2024.xml"

    @Test("validate: a FIFO and a document with 80,000 attributes are refused, and the next file is still checked")
    func validateGoesOn() async throws {
        let directory = try TemporaryDirectory()
        try FIFO.make(directory.path + "/a-pipe.xml")
        let crowded =
            "<?xml version=\"1.0\"?>\n<ts:token xmlns:ts=\"http://tokenscript.org/2024/01/tokenscript\"><x "
            + (0..<80_000).map { "a\($0)=\"\"" }.joined(separator: " ") + "/></ts:token>"
        try crowded.write(toFile: directory.path + "/b-crowded.xml", atomically: false, encoding: .utf8)
        let pipe = directory.path + "/a-pipe.xml"
        let options = try Validate.Options.parse([pipe, directory.path + "/b-crowded.xml", Self.good])
        let result = await BoundedWait.run(seconds: 60, rescue: { FIFO.release(pipe) }) {
            () -> (Int32, String) in
            let console = Console.capture()
            return (Validate.run(options, console: console), console.output)
        }
        let (status, output) = try #require(result, "validate blocked")
        #expect(status == 1)
        #expect(output.contains("a-pipe.xml: error: is a FIFO, not a regular file"), "\(output)")
        #expect(
            output.contains("b-crowded.xml:2:65: error: element <x> has 80000 attributes, over the limit of 1024"),
            "\(output)")
        #expect(output.contains("ok      \(Self.good)"), "\(output)")
    }

    @Test("test: a scenario whose script is a FIFO is an error; the other scenarios run")
    func scenarioScript() async throws {
        let directory = try TemporaryDirectory()
        try FIFO.make(directory.path + "/pipe.xml")
        try #"{"script": "pipe.xml", "instance": "i", "steps": []}"#.write(
            toFile: directory.path + "/a-pipe.scenario.json", atomically: false, encoding: .utf8)
        try FIFO.make(directory.path + "/b-fifo.scenario.json")
        let root = directory.path
        let options = try ScenarioTest.Options.parse([root])
        let result = await BoundedWait.run(
            seconds: 60,
            rescue: {
                FIFO.release(root + "/pipe.xml")
                FIFO.release(root + "/b-fifo.scenario.json")
            }
        ) { () async -> String in
            let console = Console.capture()
            _ = await ScenarioTest.run(options, console: console)
            return console.output
        }
        let output = try #require(result, "tokenscript test blocked")
        #expect(
            output.contains("ERROR a-pipe: ") && output.contains("pipe.xml: error: is a FIFO, not a regular file"),
            "\(output)")
        #expect(
            output.contains("ERROR b-fifo: ") && output.contains("b-fifo.scenario.json: is a FIFO, not a regular file"),
            "\(output)")
    }

    @Test("dry-run: an attestation file that is a FIFO is refused with its name")
    func attestationFile() async throws {
        let directory = try TemporaryDirectory()
        try FIFO.make(directory.path + "/attestations.jsonl")
        let options = try DryRun.Options.parse([
            TestPaths.tokenScripts + "/flight-ticket.xml", "--attestations", directory.path + "/attestations.jsonl",
        ])
        let pipe = directory.path + "/attestations.jsonl"
        let result = await BoundedWait.run(seconds: 60, rescue: { FIFO.release(pipe) }) {
            () async -> (Int32, String) in
            let console = Console.capture()
            return (await DryRun.run(options, console: console), console.errorOutput + console.output)
        }
        let (status, output) = try #require(result, "dry-run blocked")
        #expect(status != 0)
        #expect(output.contains("attestations.jsonl: is a FIFO, not a regular file"), "\(output)")
    }

    @Test("replay: a journal that is a FIFO is refused with its name")
    func journalFile() async throws {
        let directory = try TemporaryDirectory()
        try FIFO.make(directory.path + "/journal.jsonl")
        let options = try ReplayJournal.Options.parse([
            directory.path + "/journal.jsonl", "--script", TestPaths.tokenScripts + "/flight-ticket.xml",
        ])
        let pipe = directory.path + "/journal.jsonl"
        let result = await BoundedWait.run(seconds: 60, rescue: { FIFO.release(pipe) }) {
            () async -> String? in
            await ReplayJournal.replay(options).message
        }
        let message = try #require(result, "replay blocked")
        #expect(message == "\(directory.path)/journal.jsonl: is a FIFO, not a regular file")
    }

    @Test("sandbox run: a script that is a FIFO is refused with its name")
    func sandboxScript() async throws {
        let directory = try TemporaryDirectory()
        try FIFO.make(directory.path + "/script.lua")
        let path = directory.path + "/script.lua"
        let options = try SandboxRun.Options.parse([path])
        let result = await BoundedWait.run(seconds: 60, rescue: { FIFO.release(path) }) { () -> String? in
            do { return try SandboxRun.execute(options).message } catch let failure as CommandFailure {
                return failure.message
            } catch {
                return "\(error)"
            }
        }
        let message = try #require(result, "sandbox run blocked")
        #expect(message == "cannot read \(path): is a FIFO, not a regular file")
    }
}
