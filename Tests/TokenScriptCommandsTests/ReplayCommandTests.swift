import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEngine
import TokenScriptSandbox
import TokenScriptTestSupport
@testable import TokenScriptCommands

/// `tokenscript replay`: a journal written by the engine replays with every hash; an edited transition
/// is reported as non-determinism naming the step, the trigger and the fields.
@Suite("replay")
struct ReplayCommandTests {
    static let meter = try! Ed25519AttestationSigner(seed: Array(repeating: 0x44, count: 32))

    /// The engine's counter fixture with its meter key replaced by ours, written into `directory`.
    static func counterScript(in directory: String, editing: (String) -> String = { $0 }) throws -> String {
        var text = try String(contentsOfFile: TestPaths.fixtures + "/engine/counter.xml", encoding: .utf8)
        let key = try #require(text.firstMatch(of: /key="([0-9a-f]{64})"/)).1
        text = editing(text.replacingOccurrences(of: String(key), with: meter.issuer.key))
        let path = directory + "/counter-\(UUID().uuidString).xml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A journal of `count` ticks applied by the engine, written to a file.
    static func journal(script: String, count: Int, in directory: String) async throws -> String {
        let loaded = try TokenScriptReader.read(file: script)
        let pool = try SandboxPool(configuration: .init(size: 1))
        defer { pool.shutdown() }
        let machine = TokenStateMachine(definition: try TokenDefinition(tokenScript: loaded.tokenScript), pool: pool)
        let instance = JournaledInstance(machine: machine, instanceID: "counter-cli")
        for n in 1...count {
            let tick = try meter.sign(
                Attestation(
                    id: "tick-\(n)", topic: "meter/main", type: "tick", issuer: meter.issuer,
                    issuedAt: 1_790_000_000 + UInt64(n), payload: ["amount": .integer(Int64(n)), "bag": ["a": 1, "b": 2]]))
            try await instance.deliver(tick, now: 1_790_001_000)
        }
        let path = directory + "/journal.jsonl"
        try await instance.journal.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a journal replays with every state hash reproduced (exit 0, JSON report)")
    func reproduces() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.counterScript(in: directory.path)
        let journal = try await Self.journal(script: script, count: 20, in: directory.path)
        var options = ReplayJournal.Options(journal: journal, script: script)
        options.json = true
        let console = Console.capture()
        #expect(await ReplayJournal.run(options, console: console) == 0, "\(console.output)\(console.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        #expect(report["status"] as? String == "ok")
        #expect(report["stepsVerified"] as? Int == 20)
    }

    @Test("an edited transition is non-determinism at the first step it changes, with the fields")
    func editedTransition() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.counterScript(in: directory.path)
        let journal = try await Self.journal(script: script, count: 5, in: directory.path)
        let edited = try Self.counterScript(in: directory.path) {
            $0.replacingOccurrences(of: "local count = attributes.count + 1", with: "local count = attributes.count + 2")
        }
        let console = Console.capture()
        #expect(await ReplayJournal.run(ReplayJournal.Options(journal: journal, script: edited), console: console) == 1)
        #expect(console.errorOutput.contains("non-determinism at step 1"), "\(console.errorOutput)")
        #expect(console.errorOutput.contains("trigger tick"))
        #expect(console.errorOutput.contains("attributes.count: journaled 1, replayed 2"))
    }

    @Test("an unreadable journal names the line and field; exit 2")
    func badJournal() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.counterScript(in: directory.path)
        let path = directory.path + "/broken.jsonl"
        try "{\"format\":\"swift-tokenscript-journal/1\"}\nnot json\n".write(toFile: path, atomically: true, encoding: .utf8)
        let console = Console.capture()
        #expect(await ReplayJournal.run(ReplayJournal.Options(journal: path, script: script), console: console) == 2)
        #expect(console.errorOutput.contains("broken.jsonl"))
        #expect(console.errorOutput.contains("line"))
    }
}
