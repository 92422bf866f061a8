import Foundation
import Testing
import TokenScriptEngine
import TokenScriptJournalFile
import TokenScriptTesting

/// The engine writing through stores: a file journal is byte for byte the in-memory one, a node continues
/// its file after a restart, and a store's refusal reaches the caller as a typed `EngineError`.
@Suite struct FileJournalStoreTests {
    static let journalKey = try! JournalSigner(seed: Array(repeating: 0x4a, count: 32))
    static let now: UInt64 = 1_790_002_000

    static func machine() throws -> TokenStateMachine {
        TokenStateMachine(definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool)
    }

    @Test("a journaled instance over a file store writes exactly the bytes of the in-memory journal")
    func fileIsByteIdentical() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/counter.jsonl"
        let machine = try Self.machine()
        let inMemory = JournaledInstance(machine: machine, instanceID: "counter-file", signer: Self.journalKey)
        let header = JournalHeader(for: machine.definition.newInstance(id: "counter-file"), signer: Self.journalKey)
        let onFile = try await JournaledInstance(
            machine: machine, store: try FileJournalStore(creating: path, header: header), signer: Self.journalKey)
        for n in 1...6 {
            let tick = try EngineTestSupport.tick(n)
            try await inMemory.deliver(tick, now: Self.now)
            try await onFile.deliver(tick, now: Self.now)
        }
        try await onFile.deliver(try EngineTestSupport.tick(2), now: Self.now)  // a duplicate: journaled as ignored
        try await inMemory.deliver(try EngineTestSupport.tick(2), now: Self.now)
        let expected = try await inMemory.journal().bytes
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected)
        #expect(try await onFile.journal().bytes == expected)
        #expect(try await onFile.journalEntries(from: 6).map(\.sequence) == [6, 7])
    }

    @Test("a node reopens its journal file and continues it; the whole file verifies and replays")
    func resumesFromFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/counter.jsonl"
        let machine = try Self.machine()
        let header = JournalHeader(for: machine.definition.newInstance(id: "counter-resume"), signer: Self.journalKey)
        let first = try await JournaledInstance(
            machine: machine, store: try FileJournalStore(creating: path, header: header), signer: Self.journalKey)
        for n in 1...3 { try await first.deliver(try EngineTestSupport.tick(n), now: Self.now) }
        let stateBefore = await first.instance

        let resumed = try await JournaledInstance(
            machine: machine, store: try FileJournalStore(opening: path), signer: Self.journalKey)
        #expect(await resumed.instance == stateBefore)
        #expect(await resumed.head.nextSequence == 4)
        // The history came back too: a redelivery of tick 3 is a duplicate, not a new step.
        let duplicate = try await resumed.deliver(try EngineTestSupport.tick(3), now: Self.now)
        #expect(duplicate.disposition.trigger == nil)
        #expect(duplicate.instance == stateBefore)
        try await resumed.deliver(try EngineTestSupport.tick(4), now: Self.now)

        let journal = try Journal(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        try journal.verifySigner(Self.journalKey.publicKey)
        #expect(journal.entries.map(\.outcome.kind) == ["applied", "applied", "applied", "ignored", "applied"])
        let report = try await Replay.run(journal, definition: machine.definition, runtime: EngineTestSupport.pool)
        #expect(report.stepsVerified == 5)
        #expect(report.finalStateHash == (await resumed.instance.stateHash))
    }

    @Test("two writers on one store: the second append from the same head is a typed store error, nothing written")
    func secondWriterIsRefused() async throws {
        let machine = try Self.machine()
        let store = InMemoryJournalStore(header: JournalHeader(for: machine.definition.newInstance(id: "counter-race")))
        let a = try await JournaledInstance(machine: machine, store: store)
        let b = try await JournaledInstance(machine: machine, store: store)
        try await a.deliver(try EngineTestSupport.tick(1), now: Self.now)
        let before = await b.instance
        let error = await #expect(throws: EngineError.self) {
            try await b.deliver(try EngineTestSupport.tick(2), now: Self.now)
        }
        #expect(error?.reason == .journalStore(JournalStoreError(.sequenceMismatch(appended: 1, next: 2))))
        #expect(
            error?.description
                == "journal: cannot append sequence 1: the journal's next sequence is 2; nothing was written")
        #expect(await b.instance == before)
        #expect(await store.entries(from: 1).map(\.entry.attestation.id) == ["tick-1"])
    }

    @Test("a store signed by another key is refused before anything is delivered")
    func signerMismatch() async throws {
        let machine = try Self.machine()
        let store = InMemoryJournalStore(header: JournalHeader(for: machine.definition.newInstance(id: "counter-key")))
        let error = await #expect(throws: EngineError.self) {
            _ = try await JournaledInstance(machine: machine, store: store, signer: Self.journalKey)
        }
        let key = Self.journalKey.publicKey.map { String(format: "%02x", $0) }.joined()
        let detail = "the journal is signed by no key, the writer by \(key)"
        #expect(
            try #require(error).reason
                == .journalStore(JournalStoreError(.headerMismatch(field: "signer", detail: detail))))
    }

    @Test("an altered journal file is refused on opening (line, step, field), and creating over a file too")
    func alteredFileIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/counter.jsonl"
        let machine = try Self.machine()
        let header = JournalHeader(for: machine.definition.newInstance(id: "counter-altered"), signer: Self.journalKey)
        let writer = try await JournaledInstance(
            machine: machine, store: try FileJournalStore(creating: path, header: header), signer: Self.journalKey)
        for n in 1...3 { try await writer.deliver(try EngineTestSupport.tick(n), now: Self.now) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\\\"amount\\\":2", with: "\\\"amount\\\":9")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: JournalStoreError.self) { try FileJournalStore(opening: path) }
        let read = try #require(error?.reason.readError, "expected unreadable, got \(String(describing: error))")
        #expect(read.line == 3)
        #expect(read.step == 2)
        #expect(read.field == "attestation.payload.amount")
        #expect(throws: JournalStoreError.self) { try FileJournalStore(creating: path, header: header) }
    }
}

extension JournalStoreError.Reason {
    /// The reader's error, when the stored journal did not verify.
    var readError: JournalReadError? {
        if case .unreadable(let error) = self { error } else { nil }
    }
}
