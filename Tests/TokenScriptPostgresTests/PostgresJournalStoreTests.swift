import Testing
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptJournalStoreConformance
import TokenScriptTesting

@testable import TokenScriptPostgres

/// The shared journal-store suite, unchanged, against `PostgresJournalStore`, each check in a schema of its own.
/// PostgreSQL cannot tear a line either: the "torn last line" is a transaction that inserted the partial line and
/// was rolled back, which reopening must not see.
@Suite("PostgreSQL journal store conformance")
struct PostgresJournalStoreConformanceTests {
    let closer = StoreCloser()

    var subject: JournalStoreSubject {
        let closer = closer
        return JournalStoreSubject(
            "postgres",
            make: { header in
                let store = try await PostgresTestStores.fresh()
                closer.add(store)
                return try await PostgresJournalStore.create(header, in: store)
            },
            reopen: { journal in
                let old = try #require(journal as? PostgresJournalStore)
                let store = try await PostgresStore(location: old.store.location, clock: old.store.clock)
                closer.add(store)
                return try await PostgresJournalStore.open(old.header.instanceID, in: store)
            },
            tear: { journal, partial in
                let old = try #require(journal as? PostgresJournalStore)
                try await PostgresJournalStoreTests.writeRolledBack(partial, to: old)
            })
    }

    @Test("appends in sequence and reads back the sealed lines")
    func appends() async throws {
        defer { closer.closeAll() }
        try await JournalStoreConformance.appendsInSequence(subject)
    }

    @Test("refuses an append at the wrong sequence or after the wrong line, naming both, writing nothing")
    func refuses() async throws {
        defer { closer.closeAll() }
        try await JournalStoreConformance.refusesWrongSequence(subject)
    }

    @Test("reads from a position")
    func reads() async throws {
        defer { closer.closeAll() }
        try await JournalStoreConformance.readsFromPosition(subject)
    }

    @Test("a stream after a position sees the stored entries, then those appended later")
    func streams() async throws {
        defer { closer.closeAll() }
        try await JournalStoreConformance.streamsLaterEntries(subject)
    }

    @Test("reopened, a store continues the same journal")
    func reopens() async throws {
        defer { closer.closeAll() }
        try await JournalStoreConformance.reopensAndContinues(subject)
    }

    @Test("an uncommitted last line is gone on reopening and the chain continues")
    func tornLine() async throws {
        defer { closer.closeAll() }
        try await JournalStoreConformance.recoversFromTornLastLine(subject)
    }
}

/// What only a shared database asks of a journal: two writers, fencing, the instance's row, streams under load,
/// rows altered behind the store's back.
@Suite("PostgreSQL journals")
struct PostgresJournalStoreTests {
    static let header = JournalStoreConformance.header

    /// Inserts `partial` as the next line in a transaction that is then rolled back.
    static func writeRolledBack(_ partial: [UInt8], to journal: PostgresJournalStore) async throws {
        struct Abandoned: Error {}
        let instance = journal.header.instanceID
        let line = String(decoding: partial, as: UTF8.self)
        await #expect(throws: Abandoned.self) {
            try await journal.store.transaction("tear a line") { connection in
                try await connection.query(
                    """
                    INSERT INTO journal_entry (instance, sequence, line, hash)
                    SELECT \(instance), coalesce(max(sequence), 0) + 1, convert_to(\(line), 'UTF8'), 'torn'
                    FROM journal_entry WHERE instance = \(instance)
                    """, logger: PostgresStore.quiet)
                throw Abandoned()
            }
        }
    }

    @Test("two handles appending from one head, 40 rounds: one line per sequence, the other refused, the chain whole")
    func twoWriters() async throws {
        let store = try await PostgresTestStores.fresh()
        defer { store.close() }
        let other = try await PostgresStore(location: store.location, clock: store.clock)
        defer { other.close() }
        let first = try await PostgresJournalStore.create(Self.header, in: store)
        let second = try await PostgresJournalStore.open(Self.header.instanceID, in: other)
        var previous = Self.header.hash
        for sequence in UInt64(1)...40 {
            let entry = JournalStoreConformance.seal(sequence: sequence, prev: previous)
            async let a: Bool = { (try? await first.append(entry)) != nil }()
            async let b: Bool = { (try? await second.append(entry)) != nil }()
            let (one, two) = await (a, b)
            #expect(one != two, "round \(sequence): exactly one append lands")
            previous = entry.hash
        }
        let reopened = try await PostgresJournalStore.open(Self.header.instanceID, in: store)
        #expect(try await reopened.entries(from: 1).map(\.entry.sequence) == Array(1...40))
        #expect(try await reopened.head() == JournalHead(nextSequence: 41, lastHash: previous))
    }

    @Test("a fenced append needs the live lease; a stale executor's is refused and writes nothing")
    func fenced() async throws {
        let clock = ManualClock(unixSeconds: PostgresTestStores.epoch)
        let store = try await PostgresTestStores.fresh(clock: clock)
        defer { store.close() }
        let election = PostgresLeaseAuthority(store: store, leaseSeconds: 30)
        let instance = Self.header.instanceID
        let lease = try await election.acquire(instance, for: "node-1", seenEpoch: 0).lease
        let journal = try await PostgresJournalStore.create(Self.header, in: store)
        let first = JournalStoreConformance.seal(sequence: 1, prev: Self.header.hash)
        try await journal.append(first, fencedBy: lease)
        clock.advance(seconds: 31)
        let next = try await election.takeOver(instance, for: "node-2", seenEpoch: lease.epoch)
        let second = JournalStoreConformance.seal(sequence: 2, prev: first.hash)
        await #expect(throws: StaleLeaseError.self) { try await journal.append(second, fencedBy: lease) }
        #expect(try await journal.head().nextSequence == 2)
        try await journal.append(second, fencedBy: next.lease)
        #expect(try await journal.head().nextSequence == 3)
    }

    @Test("keeping the instance head: an append moves the row to the entry's snapshot, a refused one moves nothing")
    func instanceHead() async throws {
        let store = try await PostgresTestStores.fresh()
        defer { store.close() }
        let instances = PostgresInstanceStore(store: store)
        let start = TokenInstance(definitionID: Self.header.definitionID, id: Self.header.instanceID, state: "start")
        try await instances.create(start, fencedBy: nil)
        let journal = try await PostgresJournalStore.create(Self.header, in: store, keepsInstanceHead: true)
        let first = JournalStoreConformance.seal(sequence: 1, prev: Self.header.hash)
        try await journal.append(first)
        let stored = try #require(try await instances.instance(Self.header.instanceID))
        #expect(stored.step == 1)
        #expect(stored.canonicalValue == first.entry.instance)
        await #expect(throws: JournalStoreError.self) {
            try await journal.append(JournalStoreConformance.seal(sequence: 3, prev: first.hash))
        }
        #expect(try await instances.instance(Self.header.instanceID)?.step == 1)
    }

    @Test("streams opened while appends run: every stream gets each later entry once, in order")
    func streamsUnderAppends() async throws {
        let store = try await PostgresTestStores.fresh()
        defer { store.close() }
        let journal = try await PostgresJournalStore.create(Self.header, in: store)
        var entries: [SealedJournalEntry] = []
        var previous = Self.header.hash
        for sequence in UInt64(1)...60 {
            let entry = JournalStoreConformance.seal(sequence: sequence, prev: previous)
            entries.append(entry)
            previous = entry.hash
        }
        let all = entries
        let readers = (0..<6).map { index in
            Task {
                // Each joins at another moment, after another position.
                try await Task.sleep(for: .milliseconds(15 * index))
                let after = UInt64(index * 5)
                var seen: [UInt64] = []
                for try await entry in journal.updates(after: after) {
                    seen.append(entry.entry.sequence)
                    if entry.entry.sequence == 60 { break }
                }
                return (after, seen)
            }
        }
        for entry in all { try await journal.append(entry) }
        for reader in readers {
            let (after, seen) = try await reader.value
            #expect(seen == Array((after + 1)...60))
        }
    }

    @Test("a line altered in the database is reported on opening, not served")
    func alteredLine() async throws {
        let store = try await PostgresTestStores.fresh()
        defer { store.close() }
        let journal = try await PostgresJournalStore.create(Self.header, in: store)
        let first = JournalStoreConformance.seal(sequence: 1, prev: Self.header.hash)
        try await journal.append(first)
        try await journal.append(JournalStoreConformance.seal(sequence: 2, prev: first.hash))
        var altered = first.line
        altered[altered.count / 2] ^= 0x01
        let tampered = String(decoding: altered, as: UTF8.self)
        try await store.run("alter a line") { client in
            try await client.query(
                "UPDATE journal_entry SET line = convert_to(\(tampered), 'UTF8') WHERE sequence = 1",
                logger: PostgresStore.quiet)
        }
        await #expect {
            _ = try await PostgresJournalStore.open(Self.header.instanceID, in: store)
        } throws: { error in
            guard let error = error as? JournalStoreError, case .unreadable = error.reason else { return false }
            return true
        }
        await #expect(throws: JournalStoreError.self) { _ = try await journal.entries(from: 1) }
    }
}
