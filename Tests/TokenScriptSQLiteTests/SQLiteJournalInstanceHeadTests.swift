import Testing
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptJournalStoreConformance
import TokenScriptSQLite

/// `SQLiteJournalStore(keepsInstanceHead: true)`: an append also advances the instance's stored row, in the same
/// transaction, so a node's step is one write and the row never lags (nor leads) its journal.
@Suite("SQLite journals that keep the instance head")
struct SQLiteJournalInstanceHeadTests {
    static let header = JournalStoreConformance.header

    static func start() -> TokenInstance {
        TokenInstance(definitionID: header.definitionID, id: header.instanceID, state: "start")
    }

    @Test("an append moves the row to the entry's snapshot; a refused append moves nothing")
    func appendAdvancesRow() async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let instances = SQLiteInstanceStore(store: store)
        try await instances.create(Self.start(), fencedBy: nil)
        let journal = try SQLiteJournalStore(creating: Self.header, in: store, keepsInstanceHead: true)
        let first = JournalStoreConformance.seal(sequence: 1, prev: Self.header.hash)
        try await journal.append(first)
        let stored = try #require(try await instances.instance(Self.header.instanceID))
        #expect(stored.step == 1)
        #expect(stored.canonicalValue == first.entry.instance)
        #expect(stored.stateHash == first.entry.stateHash)

        // Entry 3 does not continue the journal: refused, and the row stays at step 1.
        await #expect(throws: JournalStoreError.self) {
            try await journal.append(JournalStoreConformance.seal(sequence: 3, prev: first.hash))
        }
        #expect(try await instances.instance(Self.header.instanceID)?.step == 1)
        let second = JournalStoreConformance.seal(sequence: 2, prev: first.hash)
        try await journal.append(second)
        #expect(try await instances.instance(Self.header.instanceID)?.canonicalValue == second.entry.instance)
    }

    @Test("a journal that does not keep the head leaves the row; one without a row yet appends all the same")
    func withoutHeadOrRow() async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let instances = SQLiteInstanceStore(store: store)
        let journal = try SQLiteJournalStore(creating: Self.header, in: store, keepsInstanceHead: true)
        // No row: the instance is still being created (its row is written last).
        try await journal.append(JournalStoreConformance.seal(sequence: 1, prev: Self.header.hash))
        #expect(try await instances.instance(Self.header.instanceID) == nil)

        let other = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        try await SQLiteInstanceStore(store: other).create(Self.start(), fencedBy: nil)
        let plain = try SQLiteJournalStore(creating: Self.header, in: other)
        try await plain.append(JournalStoreConformance.seal(sequence: 1, prev: Self.header.hash))
        #expect(try await SQLiteInstanceStore(store: other).instance(Self.header.instanceID)?.step == 0)
    }
}
