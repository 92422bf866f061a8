import Testing
import TokenScriptEngine
import TokenScriptJournalStoreConformance
import TokenScriptSQLite

/// `SQLiteJournalStore.append(_:in:)`: entries of many journals, one transaction, all or nothing.
@Suite("SQLite journal batches")
struct SQLiteJournalBatchTests {
    /// A header signed by the key `JournalStoreConformance.seal` signs entries with.
    static func header(_ instance: String) throws -> JournalHeader {
        JournalHeader(
            definitionID: "batch@0", instanceID: instance,
            initialStateHash: TokenInstance(definitionID: "", id: instance, state: "start").stateHash,
            signer: try JournalSigner(seed: Array(repeating: 0x5a, count: 32)))
    }

    @Test("entries of two journals in one batch continue each journal and reach its stream")
    func appendsAcrossJournals() async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let one = try SQLiteJournalStore(creating: try Self.header("one"), in: store)
        let two = try SQLiteJournalStore(creating: try Self.header("two"), in: store)
        let oneFirst = JournalStoreConformance.seal(sequence: 1, prev: one.header.hash)
        let oneSecond = JournalStoreConformance.seal(sequence: 2, prev: oneFirst.hash)
        let twoFirst = JournalStoreConformance.seal(sequence: 1, prev: two.header.hash)
        var stream = one.updates(after: 0).makeAsyncIterator()
        try await SQLiteJournalStore.append([(one, oneFirst), (two, twoFirst), (one, oneSecond)], in: store)
        #expect(try await one.head() == JournalHead(nextSequence: 3, lastHash: oneSecond.hash))
        #expect(try await two.head() == JournalHead(nextSequence: 2, lastHash: twoFirst.hash))
        #expect(try await stream.next() == oneFirst)
        #expect(try await stream.next() == oneSecond)
        let reopened = try SQLiteJournalStore(opening: "one", in: SQLiteStore(path: store.path, clock: store.clock))
        #expect(try await reopened.entries(from: 1) == [oneFirst, oneSecond])
    }

    @Test("one entry out of sequence, or a journal of another file, and nothing of the batch is written")
    func allOrNothing() async throws {
        let directory = try DatabaseDirectory()
        let clock = ManualClock(unixSeconds: testEpochSeconds)
        let store = try SQLiteStore(path: directory.newDatabase(), clock: clock)
        let one = try SQLiteJournalStore(creating: try Self.header("one"), in: store)
        let two = try SQLiteJournalStore(creating: try Self.header("two"), in: store)
        let oneFirst = JournalStoreConformance.seal(sequence: 1, prev: one.header.hash)
        let twoAhead = JournalStoreConformance.seal(sequence: 2, prev: two.header.hash)
        await #expect(throws: JournalStoreError(.sequenceMismatch(appended: 2, next: 1))) {
            try await SQLiteJournalStore.append([(one, oneFirst), (two, twoAhead)], in: store)
        }
        let elsewhere = try SQLiteJournalStore(
            creating: try Self.header("three"), in: SQLiteStore(path: directory.newDatabase(), clock: clock))
        let threeFirst = JournalStoreConformance.seal(sequence: 1, prev: elsewhere.header.hash)
        await #expect(throws: JournalStoreError.self) {
            try await SQLiteJournalStore.append([(one, oneFirst), (elsewhere, threeFirst)], in: store)
        }
        #expect(try await one.head().nextSequence == 1)
        #expect(try await two.head().nextSequence == 1)
        #expect(try await elsewhere.head().nextSequence == 1)
    }
}
