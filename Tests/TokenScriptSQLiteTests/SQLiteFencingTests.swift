import Testing
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEngine
import TokenScriptJournalStoreConformance
import TokenScriptSQLite

/// Fencing and election across two handles on one file: what two processes sharing a store see.
@Suite("SQLite fencing and election across handles")
struct SQLiteFencingTests {
    @Test("a stale executor's log, journal and instance writes are refused and write nothing")
    func staleEpochWritesNothing() async throws {
        let directory = try DatabaseDirectory()
        let path = directory.newDatabase()
        let clock = ManualClock(unixSeconds: testEpochSeconds)
        let executor = try SQLiteStore(path: path, clock: clock)
        let anchor = try SQLiteStore(path: path, clock: clock)
        let instance = JournalStoreConformance.header.instanceID
        let old = try await SQLiteLeaseAuthority(store: executor).acquire(instance, for: "node-a", seenEpoch: 0)
        let log = SQLiteAttestationLog(store: executor)
        let journal = try SQLiteJournalStore(creating: JournalStoreConformance.header, in: executor)
        let instances = SQLiteInstanceStore(store: executor)
        let first = JournalStoreConformance.seal(sequence: 1, prev: JournalStoreConformance.header.hash)
        _ = try await log.append(
            AttestationLogConformance.attestation("a-1", topic: "effect/book"), fencedBy: old.lease)
        try await journal.append(first, fencedBy: old.lease)
        let head = TokenInstance(definitionID: "hotel@0", id: instance, state: "booked", step: 1)
        try await instances.create(head, fencedBy: old.lease)

        let current = try await SQLiteLeaseAuthority(store: anchor).takeOver(instance, for: "anchor-1", seenEpoch: 1)
        #expect(current.lease.epoch == 2)

        await #expect(throws: StaleLeaseError(presented: old.lease, current: current.lease)) {
            try await log.append(
                AttestationLogConformance.attestation("a-2", topic: "effect/book"), fencedBy: old.lease)
        }
        let second = JournalStoreConformance.seal(sequence: 2, prev: first.hash)
        await #expect(throws: StaleLeaseError(presented: old.lease, current: current.lease)) {
            try await journal.append(second, fencedBy: old.lease)
        }
        var stale = head
        stale.step = 2
        stale.state = "stale"
        await #expect(throws: StaleLeaseError(presented: old.lease, current: current.lease)) {
            try await instances.replace(stale, expectingStep: 1, fencedBy: old.lease)
        }

        let reader = try SQLiteStore(path: path, clock: clock)
        #expect(try await SQLiteAttestationLog(store: reader).head(of: "effect/book") == 1)
        #expect(try await SQLiteAttestationLog(store: reader).entry(topic: "effect/book", position: 2) == nil)
        let reopened = try SQLiteJournalStore(opening: instance, in: reader)
        #expect(try await reopened.entries(from: 1) == [first])
        #expect(try await SQLiteInstanceStore(store: reader).instance(instance) == head)

        try await journal.append(second, fencedBy: current.lease)
        #expect(try await reopened.head().nextSequence == 3)
    }

    @Test("two handles electing one instance concurrently: exactly one wins every round")
    func concurrentElectionAcrossHandles() async throws {
        let directory = try DatabaseDirectory()
        let path = directory.newDatabase()
        let clock = ManualClock(unixSeconds: testEpochSeconds)
        let handles = [
            SQLiteLeaseAuthority(store: try SQLiteStore(path: path, clock: clock), leaseSeconds: 30),
            SQLiteLeaseAuthority(store: try SQLiteStore(path: path, clock: clock), leaseSeconds: 30),
        ]
        let rounds = 40
        for round in 0..<rounds {
            let instance = "ticket-\(round % 4)"
            let seen = try await handles[0].record(of: instance)?.lease.epoch ?? 0
            let winners = await withTaskGroup(of: LeaseRecord?.self) { group in
                for (index, handle) in handles.enumerated() {
                    for candidate in 0..<4 {
                        group.addTask {
                            try? await handle.takeOver(instance, for: "node-\(index)-\(candidate)", seenEpoch: seen)
                        }
                    }
                }
                var won: [LeaseRecord] = []
                for await record in group { if let record { won.append(record) } }
                return won
            }
            #expect(winners.count == 1, "round \(round): \(winners)")
            let winner = try #require(winners.first)
            #expect(winner.lease.epoch == seen + 1)
            #expect(try await handles[1].record(of: instance) == winner)
            #expect(await handles[0].currentLease(of: instance) == winner.lease)
        }
        #expect(try await handles[0].record(of: "ticket-0")?.lease.epoch == UInt64(rounds / 4))
    }

    @Test("a subscription on one handle sees what another handle appends, in order, by polling")
    func subscriptionAcrossHandles() async throws {
        let directory = try DatabaseDirectory()
        let path = directory.newDatabase()
        let clock = ManualClock(unixSeconds: testEpochSeconds)
        let reader = SQLiteAttestationLog(
            store: try SQLiteStore(path: path, clock: clock), pollInterval: .milliseconds(10))
        let writer = SQLiteAttestationLog(store: try SQLiteStore(path: path, clock: clock))
        _ = try await writer.append(AttestationLogConformance.attestation("x-1", topic: "t"), fencedBy: nil)
        let stream = try await reader.subscribe(topic: "t", from: 1)
        for index in 2...4 {
            _ = try await writer.append(AttestationLogConformance.attestation("x-\(index)", topic: "t"), fencedBy: nil)
        }
        var seen: [LogEntry] = []
        for try await entry in stream {
            seen.append(entry)
            if seen.count == 4 { break }
        }
        #expect(seen.map(\.attestation.id) == ["x-1", "x-2", "x-3", "x-4"])
        #expect(seen.map(\.position) == [1, 2, 3, 4])
    }
}
