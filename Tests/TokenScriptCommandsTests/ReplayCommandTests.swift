import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSandbox
import TokenScriptTesting
@testable import TokenScriptCommands

/// One file of `Fixtures/hostile-journal`: how it is made from the golden journal, and where `replay` must
/// say it was altered. `TOKENSCRIPT_UPDATE_GOLDEN=1` rewrites the files from the golden journals.
struct HostileJournal: Sendable, CustomTestStringConvertible {
    typealias Lines = [[UInt8]]
    var file: String
    /// The file's bytes from the golden journal's lines and the diverging golden journal's lines.
    var make: @Sendable (_ golden: Lines, _ other: Lines) -> [UInt8]
    var line: Int
    var step: Int?
    var field: String
    var testDescription: String { file }

    static func joined(_ lines: Lines) -> [UInt8] { lines.flatMap { $0 + [0x0a] } }

    /// `bytes` with the first `old` replaced by `new`.
    static func replacing(_ old: String, with new: String, in bytes: [UInt8]) -> [UInt8] {
        replacing(old, withBytes: Array(new.utf8), in: bytes)
    }

    static func replacing(_ old: String, withBytes new: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        let old = Array(old.utf8)
        guard let at = (0...(bytes.count - old.count)).first(where: { bytes[$0..<$0 + old.count].elementsEqual(old) })
        else { return bytes }
        return Array(bytes[..<at]) + new + Array(bytes[(at + old.count)...])
    }

    /// `bytes` with the hex digit after `marker` changed.
    static func flippingDigit(after marker: String, in bytes: [UInt8]) -> [UInt8] {
        let marker = Array(marker.utf8)
        guard
            let at = (0...(bytes.count - marker.count)).first(where: {
                bytes[$0..<$0 + marker.count].elementsEqual(marker)
            })
        else { return bytes }
        var bytes = bytes
        bytes[at + marker.count] = bytes[at + marker.count] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        return bytes
    }

    static func editing(_ index: Int, _ change: @escaping @Sendable ([UInt8]) -> [UInt8])
        -> @Sendable (Lines, Lines) -> [UInt8]
    {
        { golden, _ in
            var lines = golden
            lines[index] = change(lines[index])
            return joined(lines)
        }
    }

    static let all: [HostileJournal] = [
        .init(
            file: "edited-payload.jsonl",
            make: editing(2) { replacing("\\\"amount\\\":2", with: "\\\"amount\\\":9", in: $0) },
            line: 3, step: 2, field: "attestation.payload.amount"),
        .init(
            file: "edited-snapshot.jsonl", make: editing(2) { replacing("\"total\":3", with: "\"total\":4", in: $0) },
            line: 3, step: 2, field: "instance.attributes.total"),
        .init(
            file: "edited-state-hash.jsonl", make: editing(3) { flippingDigit(after: "\"stateHash\":\"", in: $0) },
            line: 4, step: 3, field: "stateHash"),
        .init(
            file: "reordered.jsonl",
            make: { golden, _ in
                var lines = golden; lines.swapAt(4, 5); return joined(lines)
            },
            line: 5, step: 5, field: "prev"),
        .init(
            file: "dropped.jsonl",
            make: { golden, _ in
                var lines = golden; lines.remove(at: 3); return joined(lines)
            },
            line: 4, step: 4, field: "prev"),
        .init(
            file: "duplicate-key.jsonl",
            make: editing(1) {
                replacing(
                    "\"receivedAt\":1790002000,", with: "\"receivedAt\":1790002000,\"receivedAt\":1790009999,", in: $0)
            },
            line: 2, step: nil, field: "receivedAt"),
        .init(
            file: "truncated.jsonl",
            make: { golden, _ in joined(Array(golden.dropLast())) + golden.last!.prefix(golden.last!.count / 2) },
            line: 8, step: nil, field: ""),
        .init(
            file: "forged-signature.jsonl", make: editing(5) { flippingDigit(after: "\"signature\":\"", in: $0) },
            line: 6, step: 5, field: "signature"),
        .init(
            file: "spliced.jsonl",
            make: { golden, other in
                var lines = golden; lines[2] = other[2]; return joined(lines)
            },
            line: 3, step: 2, field: "prev"),
        .init(
            file: "invalid-utf8.jsonl",
            make: editing(1) {
                replacing(
                    "\"state\":\"odd\"", withBytes: Array("\"state\":\"o".utf8) + [0xff] + Array("d\"".utf8), in: $0)
            },
            line: 2, step: nil, field: "instance.state"),
    ]
}

/// `tokenscript replay`: a journal written by the engine replays with every hash; an edited transition
/// is reported as non-determinism naming the step, the trigger and the fields; an altered journal as tampered.
@Suite("replay")
struct ReplayCommandTests {
    /// The key that signed `Fixtures/golden/counter.journal.jsonl` (seed 0x4a × 32).
    static let goldenJournalKey = "353c8a7feeca38b2c4536e0bd2586fdb18d070e50e059f1d43f8bfefb97a7ce1"

    static let meter = TestKeys.ed25519(0x44)
    static let journalKey = TestKeys.journalKey
    static let otherKey = TestKeys.otherJournalKey
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// `tokenscript replay JOURNAL --script SCRIPT FLAGS…`, parsed as the command parses it.
    static func options(_ journal: String, _ script: String, _ flags: String...) throws -> ReplayJournal.Options {
        try ReplayJournal.Options.parse([journal, "--script", script] + flags)
    }

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
    static func journal(script: String, count: Int, in directory: String, signer: JournalSigner? = nil) async throws
        -> String
    {
        let loaded = try TokenScriptReader.read(file: script)
        let pool = try SandboxPool(configuration: .init(size: 1))
        defer { pool.shutdown() }
        let machine = TokenStateMachine(definition: try TokenDefinition(tokenScript: loaded.tokenScript), runtime: pool)
        let instance = JournaledInstance(machine: machine, instanceID: "counter-cli", signer: signer)
        for n in 1...count {
            let tick = try meter.sign(
                Attestation(
                    id: "tick-\(n)", topic: "meter/main", type: "tick", issuer: meter.issuer,
                    issuedAt: 1_790_000_000 + UInt64(n),
                    payload: ["amount": .integer(Int64(n)), "bag": ["a": 1, "b": 2]]))
            try await instance.deliver(tick, now: 1_790_001_000)
        }
        let path = directory + "/journal.jsonl"
        try Data(try await instance.journal().bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a journal replays with every state hash reproduced (exit 0, JSON report)")
    func reproduces() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.counterScript(in: directory.path)
        let journal = try await Self.journal(script: script, count: 20, in: directory.path)
        let options = try Self.options(journal, script, "--json")
        let console = Console.capture()
        #expect(await ReplayJournal.run(options, console: console) == 0, "\(console.output)\(console.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        #expect(report["status"] as? String == "ok")
        #expect(report["outcome"] as? String == "ok")
        #expect(report["stepsVerified"] as? Int == 20)
    }

    @Test("an edited transition is non-determinism at the first step it changes, with the fields")
    func editedTransition() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.counterScript(in: directory.path)
        let journal = try await Self.journal(script: script, count: 5, in: directory.path)
        let edited = try Self.counterScript(in: directory.path) {
            $0.replacingOccurrences(
                of: "local count = attributes.count + 1", with: "local count = attributes.count + 2")
        }
        let console = Console.capture()
        #expect(await ReplayJournal.run(try Self.options(journal, edited), console: console) == 1)
        #expect(console.errorOutput.contains("non-determinism at step 1"), "\(console.errorOutput)")
        #expect(console.errorOutput.contains("trigger tick"))
        #expect(console.errorOutput.contains("attributes.count: journaled 1, replayed 2"))
    }

    @Test("an unreadable journal names the line and field; exit 2")
    func badJournal() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.counterScript(in: directory.path)
        let path = directory.path + "/broken.jsonl"
        try "{\"format\":\"swift-tokenscript-journal/1\"}\nnot json\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let console = Console.capture()
        #expect(await ReplayJournal.run(try Self.options(path, script), console: console) == 2)
        #expect(console.errorOutput.contains("broken.jsonl"))
        #expect(console.errorOutput.contains("line"))
    }

    @Test(
        "a signed journal replays against its --journal-key (hex or file); without one the signer is called unverified")
    func signedJournal() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.counterScript(in: directory.path)
        let journal = try await Self.journal(script: script, count: 4, in: directory.path, signer: Self.journalKey)
        let keyFile = directory.path + "/journal.pub"
        try (Self.hex(Self.journalKey.publicKey) + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
        for key in [Self.hex(Self.journalKey.publicKey), keyFile] {
            let options = try Self.options(journal, script, "--journal-key", key, "--json")
            let console = Console.capture()
            #expect(await ReplayJournal.run(options, console: console) == 0, "\(console.output)\(console.errorOutput)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
            #expect(report["trust"] as? String == "verified")
        }
        let console = Console.capture()
        #expect(await ReplayJournal.run(try Self.options(journal, script), console: console) == 0)
        #expect(
            console.output.contains("warning: signed by \(Self.hex(Self.journalKey.publicKey)), which was not checked"))
    }

    @Test("an edited payload byte is tampering at its line, step and field (exit 3, text and JSON)")
    func editedPayload() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.counterScript(in: directory.path)
        let journal = try await Self.journal(script: script, count: 4, in: directory.path, signer: Self.journalKey)
        let text = try String(contentsOfFile: journal, encoding: .utf8)
        try text.replacingOccurrences(of: "\\\"amount\\\":3", with: "\\\"amount\\\":30")
            .write(toFile: journal, atomically: true, encoding: .utf8)
        let options = try Self.options(journal, script, "--journal-key", Self.hex(Self.journalKey.publicKey))
        let console = Console.capture()
        #expect(await ReplayJournal.run(options, console: console) == 1)
        #expect(
            console.errorOutput.contains(
                "tampered: \(journal):4: step 3 field attestation.payload.amount: "
                    + "stored 30 but the chain commits to other content"
            ),
            "\(console.errorOutput)")
        #expect(console.errorOutput.contains("verifies up to step 2"))

        let jsonOptions = try Self.options(
            journal, script, "--journal-key", Self.hex(Self.journalKey.publicKey), "--json")
        let json = Console.capture()
        #expect(await ReplayJournal.run(jsonOptions, console: json) == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(report["status"] as? String == "failed")
        #expect(report["outcome"] as? String == "tampered")
        let tamper = try #require(report["tamper"] as? [String: Any])
        #expect(tamper["line"] as? Int == 4)
        #expect(tamper["step"] as? Int == 3)
        #expect(tamper["field"] as? String == "attestation.payload.amount")
        #expect(tamper["verifiedSteps"] as? Int == 2)
    }

    @Test("a journal signed by another key, or unsigned, fails --journal-key (exit 3); a bad key is exit 2")
    func wrongKey() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.counterScript(in: directory.path)
        for signer in [Self.otherKey, nil] {
            let journal = try await Self.journal(script: script, count: 2, in: directory.path, signer: signer)
            let options = try Self.options(journal, script, "--journal-key", Self.hex(Self.journalKey.publicKey))
            let console = Console.capture()
            #expect(await ReplayJournal.run(options, console: console) == 1)
            #expect(console.errorOutput.contains("journal.jsonl:1: field signer:"), "\(console.errorOutput)")
        }
        let journal = try await Self.journal(script: script, count: 1, in: directory.path)
        let options = try Self.options(journal, script, "--journal-key", "not-a-key")
        let console = Console.capture()
        #expect(await ReplayJournal.run(options, console: console) == 2)
        #expect(console.errorOutput.contains("--journal-key"))
    }

    @Test("a field name with terminal escapes, planted in a journal, is reported with them shown, not sent")
    func escapesInReport() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.counterScript(in: directory.path)
        let journal = try await Self.journal(script: script, count: 2, in: directory.path, signer: Self.journalKey)
        var lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(
            of: "\"digests\":{", with: "\"digests\":{\"\\u001b]0;pwned\\u0007\":\"00\",")
        try (lines.joined(separator: "\n") + "\n").write(toFile: journal, atomically: true, encoding: .utf8)
        let console = Console.capture()
        #expect(await ReplayJournal.run(try Self.options(journal, script), console: console) == 1)
        #expect(
            console.errorOutput.contains("step 2 field \\u{1b}]0;pwned\\u{7}: missing, but the chain commits to it"),
            "\(console.errorOutput)")
        #expect(!console.errorOutput.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 })
    }

    @Test("the committed golden journal replays ok against its key, from the command line")
    func goldenJournal() async throws {
        let options = try Self.options(
            TestPaths.fixtures + "/golden/counter.journal.jsonl", TestPaths.fixtures + "/engine/counter.xml",
            "--journal-key", Self.goldenJournalKey)
        let console = Console.capture()
        #expect(await ReplayJournal.run(options, console: console) == 0, "\(console.errorOutput)")
        #expect(console.output.contains("ok: 7 steps of counter-golden replayed"))
        #expect(console.output.contains("signed by \(Self.goldenJournalKey) (the given journal key) on every line"))
        #expect(console.output.contains("chain head 4e24f16be540b27f81015ee3bbcd0d590b190d7fef7c7cc0657e5976ff25ca7b"))
    }

    @Test(
        "every hostile journal is refused as tampered at its line, step and field (exit 3)",
        arguments: HostileJournal.all)
    func hostileJournal(_ hostile: HostileJournal) async throws {
        func lines(_ name: String) throws -> HostileJournal.Lines {
            Array(try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixtures + "/golden/" + name))).split(
                separator: 0x0a
            ).map(Array.init)
        }
        let made = hostile.make(try lines("counter.journal.jsonl"), try lines("counter-diverging.journal.jsonl"))
        let path = TestPaths.fixtures + "/hostile-journal/" + hostile.file
        if ProcessInfo.processInfo.environment["TOKENSCRIPT_UPDATE_GOLDEN"] == "1" {
            try Data(made).write(to: URL(fileURLWithPath: path))
        }
        #expect(
            Array(try Data(contentsOf: URL(fileURLWithPath: path))) == made,
            "\(hostile.file) is not made from the golden journal")
        let options = try Self.options(
            TestPaths.fixtures + "/hostile-journal/" + hostile.file, TestPaths.fixtures + "/engine/counter.xml",
            "--journal-key", Self.goldenJournalKey, "--json")
        let console = Console.capture()
        #expect(await ReplayJournal.run(options, console: console) == 1, "\(console.output)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        #expect(report["status"] as? String == "failed")
        #expect(report["outcome"] as? String == "tampered")
        let tamper = try #require(report["tamper"] as? [String: Any])
        #expect(tamper["kind"] as? String == (hostile.file == "truncated.jsonl" ? "incomplete" : "tampered"))
        #expect(tamper["line"] as? Int == hostile.line)
        #expect(tamper["step"] as? Int == hostile.step)
        #expect(tamper["field"] as? String == hostile.field, "\(tamper)")
        #expect(tamper["verifiedSteps"] as? Int == hostile.line - 2)
        // The next run is unaffected.
        let golden = try Self.options(
            TestPaths.fixtures + "/golden/counter.journal.jsonl", TestPaths.fixtures + "/engine/counter.xml",
            "--journal-key", Self.goldenJournalKey, "--json")
        #expect(await ReplayJournal.run(golden, console: Console.capture()) == 0)
    }
}
