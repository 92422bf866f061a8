import Foundation
import GRDB
import Synchronization
import Testing
import TokenScriptClusterConformance
import TokenScriptEngine

@testable import TokenScriptSQLite

/// `SQLiteGroupCommit` under `SQLiteStore.write`: writes that arrive while a commit runs share the next
/// transaction, each in its own savepoint, and none is answered before that transaction committed.
@Suite("SQLite group commit")
struct SQLiteGroupCommitTests {
    /// A write that holds the store's writer (inside its batch's transaction) until `open()` is called.
    final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        private let entered = Mutex(false)

        /// Runs on the writer: marks the gate entered, then waits to be opened.
        func hold() {
            entered.withLock { $0 = true }
            semaphore.wait()
        }

        func open() { semaphore.signal() }

        func waitUntilEntered() async throws {
            try await poll("the gated write never ran") { self.entered.withLock { $0 } }
        }
    }

    static func poll(_ failure: String, _ condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            try #require(ContinuousClock.now < deadline, "\(failure)")
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func makeStore(_ path: String) throws -> SQLiteStore {
        try SQLiteStore(path: path, clock: ManualClock(unixSeconds: testEpochSeconds))
    }

    static func rows(_ path: String) throws -> [Int] {
        // A new read-only connection on the file: what is committed, nothing else (and it needs no write lock).
        var configuration = Configuration()
        configuration.readonly = true
        let reader = try DatabaseQueue(path: path, configuration: configuration)
        return try reader.read { db in try Int.fetchAll(db, sql: "SELECT x FROM t ORDER BY x") }
    }

    struct Refused: Error {}

    @Test("writes queued during a commit share the next transaction, and each is on disk when it returns")
    func queuedWritesShareOneCommit() async throws {
        let directory = try DatabaseDirectory()
        let path = directory.newDatabase()
        let store = try Self.makeStore(path)
        try await store.write("create t") { db in try db.execute(sql: "CREATE TABLE t (x INTEGER)") }
        let before = store.groupCommitStatistics
        let gate = Gate()
        let held = Task { try await store.write("held") { _ in gate.hold() } }
        try await gate.waitUntilEntered()
        let log = SQLiteAttestationLog(store: store)
        let writers = (0..<50).map { index in
            Task {
                try await log.append(
                    AttestationLogConformance.attestation("a-\(index)", topic: "t-\(index)"), fencedBy: nil)
            }
        }
        try await Self.poll("the writes never queued") { store.groupCommit.queuedWrites == 50 }
        gate.open()
        try await held.value
        for writer in writers { #expect(try await writer.value.entry.position == 1) }
        let after = store.groupCommitStatistics
        #expect(after.batches - before.batches == 2)
        #expect(after.writes - before.writes == 51)
        let reopened = SQLiteAttestationLog(store: try Self.makeStore(path))
        for index in 0..<50 { #expect(try await reopened.head(of: "t-\(index)") == 1) }
    }

    @Test("a write that throws rolls back only itself; the batch's other writes commit")
    func failingWriteRollsBackAlone() async throws {
        let directory = try DatabaseDirectory()
        let path = directory.newDatabase()
        let store = try Self.makeStore(path)
        try await store.write("create t") { db in try db.execute(sql: "CREATE TABLE t (x INTEGER)") }
        let gate = Gate()
        let held = Task { try await store.write("held") { _ in gate.hold() } }
        try await gate.waitUntilEntered()
        func insert(_ value: Int, thenFail: Bool = false) -> Task<Void, any Error> {
            Task {
                try await store.write("insert \(value)") { db in
                    try db.execute(sql: "INSERT INTO t (x) VALUES (?)", arguments: [value])
                    if thenFail { throw Refused() }
                }
            }
        }
        let first = insert(1)
        try await Self.poll("first never queued") { store.groupCommit.queuedWrites == 1 }
        let refused = insert(2, thenFail: true)
        try await Self.poll("second never queued") { store.groupCommit.queuedWrites == 2 }
        let third = insert(3)
        try await Self.poll("third never queued") { store.groupCommit.queuedWrites == 3 }
        gate.open()
        try await held.value
        try await first.value
        await #expect(throws: Refused.self) { try await refused.value }
        try await third.value
        #expect(try Self.rows(path) == [1, 3])
    }

    @Test("no write of a batch is visible, nor answered, before the batch commits; then all of it is")
    func batchIsAtomic() async throws {
        let directory = try DatabaseDirectory()
        let path = directory.newDatabase()
        let store = try Self.makeStore(path)
        try await store.write("create t") { db in try db.execute(sql: "CREATE TABLE t (x INTEGER)") }
        let outer = Gate()
        let held = Task { try await store.write("held") { _ in outer.hold() } }
        try await outer.waitUntilEntered()
        let answered = Mutex(false)
        let first = Task {
            try await store.write("insert 1") { db in try db.execute(sql: "INSERT INTO t (x) VALUES (1)") }
            answered.withLock { $0 = true }
        }
        try await Self.poll("first never queued") { store.groupCommit.queuedWrites == 1 }
        let inner = Gate()
        let second = Task {
            try await store.write("insert 2, then wait") { db in
                try db.execute(sql: "INSERT INTO t (x) VALUES (2)")
                inner.hold()
            }
        }
        try await Self.poll("second never queued") { store.groupCommit.queuedWrites == 2 }
        outer.open()
        try await held.value
        // The batch [insert 1, insert 2] is inside its transaction, held in the second write.
        try await inner.waitUntilEntered()
        #expect(try Self.rows(path) == [])
        #expect(answered.withLock { $0 } == false)
        inner.open()
        try await first.value
        try await second.value
        #expect(answered.withLock { $0 })
        #expect(try Self.rows(path) == [1, 2])
    }
}
