import Foundation
import Testing
import TokenScriptTesting

@testable import TokenScriptCommands

/// `tokenscript replay` with several journals: one result line each (`--json`: an array), the highest status.
@Suite("replay, several journals")
struct ReplayManyCommandTests {
    static let folder = TestPaths.fixtures + "/replay"
    static let script = folder + "/flight-ticket.xml"
    static let replays = folder + "/flight-ticket.journal.jsonl"
    static let diverges = folder + "/flight-ticket-diverging.journal.jsonl"
    static let goldenKey = "353c8a7feeca38b2c4536e0bd2586fdb18d070e50e059f1d43f8bfefb97a7ce1"

    @Test("the committed replay fixtures in one run: one line each, exit 1 for the divergence")
    func oneLineEach() async throws {
        let options = try ReplayJournal.Options.parse([
            Self.replays, Self.diverges, "--script", Self.script, "--journal-key", Self.goldenKey,
        ])
        let console = Console.capture()
        #expect(await ReplayJournal.run(options, console: console) == 1, "\(console.output)\(console.errorOutput)")
        let lines = console.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("\(Self.replays): ok: 6 steps replayed, final "), "\(lines)")
        #expect(lines[0].hasSuffix("(verified)"))
        let expected = "\(Self.diverges): non-determinism at step 3 (trigger short-delay): "
        #expect(lines[1] == expected + "attributes.delayMinutes, stateHash", "\(lines)")
    }

    @Test("--json gives one object whose journals array has one report per journal, naming its file")
    func jsonArray() async throws {
        let options = try ReplayJournal.Options.parse([Self.diverges, Self.replays, "--script", Self.script, "--json"])
        let console = Console.capture()
        #expect(await ReplayJournal.run(options, console: console) == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "failed")
        let reports = try #require(object["journals"] as? [[String: Any]])
        #expect(reports.map { $0["journal"] as? String } == [Self.diverges, Self.replays])
        #expect(reports.map { $0["outcome"] as? String } == ["nondeterministic", "ok"])
        let divergence = try #require(reports[0]["divergence"] as? [String: Any])
        #expect(divergence["step"] as? Int == 3)
        let fields = try #require(divergence["fields"] as? [String: Any])
        #expect(fields["attributes.delayMinutes"] != nil)
    }

    @Test("a tampered journal among good ones: its own line, and exit 2 (the highest status: the missing one)")
    func tamperedAmongGood() async throws {
        let directory = try TemporaryDirectory()
        let tampered = directory.path + "/tampered.jsonl"
        let text = try String(contentsOfFile: Self.replays, encoding: .utf8)
        try text.replacingOccurrences(of: "\\\"delayMinutes\\\":30", with: "\\\"delayMinutes\\\":31")
            .write(toFile: tampered, atomically: true, encoding: .utf8)
        let missing = directory.path + "/missing.jsonl"
        let options = try ReplayJournal.Options.parse([Self.replays, tampered, missing, "--script", Self.script])
        let console = Console.capture()
        #expect(await ReplayJournal.run(options, console: console) == 2)
        let lines = console.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("\(Self.replays): ok: 6 steps"))
        #expect(
            lines[1].hasPrefix("\(tampered): tampered: line 4 step 3 field attestation.payload.delayMinutes"),
            "\(lines)")
        #expect(console.errorOutput.hasPrefix("error: \(missing): "), "\(console.errorOutput)")

        let json = Console.capture()
        let jsonOptions = try ReplayJournal.Options.parse(
            [Self.replays, tampered, missing, "--script", Self.script, "--json"])
        #expect(await ReplayJournal.run(jsonOptions, console: json) == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "error")
        #expect((object["journals"] as? [Any])?.count == 3)
        let error = try #require(object["error"] as? [String: Any], "\(json.output)")
        #expect(error["file"] as? String == missing)
        #expect((error["message"] as? String)?.hasPrefix("1 of 3 journals could not be used") == true)
    }

    @Test("an input every journal shares (here --journal-key) is one error, not one per journal")
    func sharedInputError() async throws {
        let options = try ReplayJournal.Options.parse(
            [Self.replays, Self.diverges, "--script", Self.script, "--journal-key", "zz", "--json"])
        let console = Console.capture()
        #expect(await ReplayJournal.run(options, console: console) == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "error")
        #expect(object["journals"] == nil)
        #expect((object["error"] as? [String: Any])?["message"] as? String != nil, "\(console.output)")
    }

    @Test("the command line takes several journal files")
    func parsesSeveral() throws {
        let command = try TokenScriptCLI.parseAsRoot(["replay", Self.replays, Self.diverges, "--script", Self.script])
        let replay = try #require(command as? ReplayCommand)
        #expect(replay.options.journals == [Self.replays, Self.diverges])
    }
}
