import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEngine
import TokenScriptTesting

/// Committed journals pin the format: one that must replay ok and one that must diverge at a named step.
///
/// The files are compared with a fresh recording byte for byte, and read, verified and replayed as committed,
/// so a format change cannot pass by reading back its own output. `TOKENSCRIPT_UPDATE_GOLDEN=1` re-records
/// them (then review the diff and the pinned head hashes below).
@Suite struct JournalGoldenTests {
    static let okPath = TestPaths.fixtures + "/golden/counter.journal.jsonl"
    static let divergingPath = TestPaths.fixtures + "/golden/counter-diverging.journal.jsonl"
    /// The node key that signed both files (seed 0x4a × 32).
    static let journalKeyHex = "353c8a7feeca38b2c4536e0bd2586fdb18d070e50e059f1d43f8bfefb97a7ce1"
    static let okHeadHash = "4e24f16be540b27f81015ee3bbcd0d590b190d7fef7c7cc0657e5976ff25ca7b"
    static let okFinalStateHash = "a06a4fbe6fcbc4dd877bfbb2c5c3d6ae3e4e2009b55cc2d5f7c27dc5367a68fb"
    static let divergingHeadHash = "e56e94c0ad946a9d905a9b0d1aac2cafae5181acd347130a1bda25879cee8e00"

    static let journalKey = TestKeys.journalKey
    /// RFC 8032 test vector 1: its public key is the meter key committed in `Fixtures/engine/counter.xml`.
    static let meter = TestKeys.rfc8032Meter
    static let stranger = TestKeys.ed25519(0x22)

    static func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map { UInt8(text.dropFirst($0).prefix(2), radix: 16)! }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// `Fixtures/engine/counter.xml` as committed, or edited.
    static func counter(editing: (String) -> String = { $0 }) throws -> TokenDefinition {
        let path = TestPaths.fixtures + "/engine/counter.xml"
        let text = editing(try String(contentsOfFile: path, encoding: .utf8))
        let loaded = try TokenScriptReader.read(
            bytes: Array(text.utf8), file: path, directory: TestPaths.fixtures + "/engine")
        return try TokenDefinition(tokenScript: loaded.tokenScript)
    }

    static func attestation(
        _ id: String, type: String = "tick", amount: Int64, signer: Ed25519AttestationSigner = meter
    ) throws -> Attestation {
        try signer.sign(
            Attestation(
                id: id, topic: "meter/main", type: type, issuer: signer.issuer,
                issuedAt: 1_790_000_000 + UInt64(amount),
                payload: ["amount": .integer(amount), "bag": ["b": 2, "a": 1]]))
    }

    /// Every kind of step: applied, failed (Lua error and ill-typed result), ignored (a duplicate), rejected
    /// (a stranger's signature), on a signed journal.
    static func recordOK() async throws -> Journal {
        let machine = TokenStateMachine(definition: try counter(), runtime: EngineTestSupport.pool)
        let instance = JournaledInstance(machine: machine, instanceID: "counter-golden", signer: journalKey)
        let deliveries = [
            try attestation("t1", amount: 1), try attestation("t2", amount: 2),
            try attestation("e3", type: "lua-error", amount: 3),
            try attestation("t2", amount: 2), try attestation("s5", amount: 5, signer: stranger),
            try attestation("b6", type: "bad-type", amount: 6), try attestation("t7", amount: 7),
        ]
        for attestation in deliveries { try await instance.deliver(attestation, now: 1_790_002_000) }
        return try await instance.journal()
    }

    /// Four ticks under a transition that adds one extra to the total on the third count.
    static func recordDiverging() async throws -> Journal {
        let edited = try counter {
            $0.replacingOccurrences(
                of: "total = attributes.total + event.data.amount,",
                with: "total = attributes.total + event.data.amount + (count == 3 and 1 or 0),")
        }
        let instance = JournaledInstance(
            machine: TokenStateMachine(definition: edited, runtime: EngineTestSupport.pool),
            instanceID: "counter-diverging",
            signer: journalKey)
        for n in 1...4 { try await instance.deliver(try attestation("t\(n)", amount: Int64(n)), now: 1_790_002_000) }
        return try await instance.journal()
    }

    /// Nil when `bytes` equal the committed file (re-recording it when asked), else the first differing line.
    static func compare(_ bytes: [UInt8], with path: String) throws -> String? {
        if ProcessInfo.processInfo.environment["TOKENSCRIPT_UPDATE_GOLDEN"] == "1" {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return nil
        }
        let committed = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        guard committed != bytes else { return nil }
        let a = committed.split(separator: 0x0a), b = bytes.split(separator: 0x0a)
        let index = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
        return "\(path):\(index + 1) differs from a fresh recording"
    }

    @Test("recording the golden journals again gives the committed bytes")
    func recordingMatches() async throws {
        #expect(try Self.compare(try await Self.recordOK().bytes, with: Self.okPath) == nil)
        #expect(try Self.compare(try await Self.recordDiverging().bytes, with: Self.divergingPath) == nil)
    }

    @Test("the committed journal verifies with the pinned key and head, and replays ok")
    func committedReplays() async throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.okPath)))
        let journal = try Journal(bytes: bytes)
        #expect(journal.bytes == bytes)
        #expect(journal.signerKeyHex == Self.journalKeyHex)
        try journal.verifySigner(Self.hex(Self.journalKeyHex))
        #expect(journal.headHash == Self.okHeadHash)
        #expect(
            journal.entries.map(\.outcome.kind) == [
                "applied", "applied", "failed", "ignored", "rejected", "failed", "applied",
            ])
        let report = try await Replay.run(journal, definition: try Self.counter(), runtime: EngineTestSupport.pool)
        #expect(report.stepsVerified == 7)
        #expect(report.finalStateHash == Self.okFinalStateHash)
    }

    @Test("the committed diverging journal verifies but diverges at step 3 on the total")
    func committedDiverges() async throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.divergingPath)))
        let journal = try Journal(bytes: bytes)
        #expect(journal.bytes == bytes)
        try journal.verifySigner(Self.hex(Self.journalKeyHex))
        #expect(journal.headHash == Self.divergingHeadHash)
        let error = await #expect(throws: NonDeterminismError.self) {
            try await Replay.run(journal, definition: try Self.counter(), runtime: EngineTestSupport.pool)
        }
        #expect(error?.sequence == 3)
        #expect(error?.trigger == "tick")
        #expect(error?.differingFields["attributes.total"] == .init(journaled: "7", replayed: "6"))
    }
}
