import Foundation
import GRDB
import Testing
import TokenScriptEngine
import TokenScriptJournalStoreConformance
import TokenScriptSQLite

/// The shared journal-store suite, unchanged, against `SQLiteJournalStore`. SQLite cannot tear a line: the
/// "torn last line" is a transaction that inserted the partial line and never committed (a second
/// connection that begins, writes and goes away), which reopening must not see.
@Suite("SQLite journal store conformance")
struct SQLiteJournalStoreConformanceTests {
    let directory: DatabaseDirectory

    init() throws { directory = try DatabaseDirectory() }

    var subject: JournalStoreSubject {
        let directory = directory
        return JournalStoreSubject(
            "sqlite",
            make: { header in
                let store = try SQLiteStore(
                    path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
                return try SQLiteJournalStore(creating: header, in: store)
            },
            reopen: { journal in
                let old = try #require(journal as? SQLiteJournalStore)
                let store = try SQLiteStore(path: old.store.path, clock: old.store.clock)
                return try SQLiteJournalStore(opening: old.header.instanceID, in: store)
            },
            tear: { journal, partial in
                let old = try #require(journal as? SQLiteJournalStore)
                try Self.writeUncommitted(partial, to: old)
            })
    }

    /// Inserts `partial` as the next line in a transaction that is rolled back when its connection closes.
    static func writeUncommitted(_ partial: [UInt8], to journal: SQLiteJournalStore) throws {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let queue = try DatabaseQueue(path: journal.store.path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            let next = (try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM journal_entry") ?? 0) + 1
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(
                sql: "INSERT INTO journal_entry (instance, sequence, line, hash) VALUES (?, ?, ?, 'torn')",
                arguments: [journal.header.instanceID, next, Data(partial)])
        }
    }

    @Test("appends in sequence and reads back the sealed lines")
    func appends() async throws { try await JournalStoreConformance.appendsInSequence(subject) }

    @Test("refuses an append at the wrong sequence or after the wrong line, naming both, writing nothing")
    func refuses() async throws { try await JournalStoreConformance.refusesWrongSequence(subject) }

    @Test("reads from a position")
    func reads() async throws { try await JournalStoreConformance.readsFromPosition(subject) }

    @Test("a stream after a position sees the stored entries, then those appended later")
    func streams() async throws { try await JournalStoreConformance.streamsLaterEntries(subject) }

    @Test("reopened, a store continues the same journal")
    func reopens() async throws { try await JournalStoreConformance.reopensAndContinues(subject) }

    @Test("an uncommitted last line is gone on reopening and the chain continues")
    func tornLine() async throws { try await JournalStoreConformance.recoversFromTornLastLine(subject) }
}
