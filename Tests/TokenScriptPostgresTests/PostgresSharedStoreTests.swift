import Synchronization
import Testing
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEngine
import TokenScriptPostgres
import TokenScriptTesting

/// Several stores on one database, as anchors on several machines: elections, fencing and the log's wake-ups
/// across them.
@Suite("PostgreSQL store shared by several anchors")
struct PostgresSharedStoreTests {
    /// Stores opened on one schema, each with its own pool, as separate anchors would.
    static func handles(_ count: Int, clock: any EngineClock) async throws -> [PostgresStore] {
        let url = try await ThrowawayPostgres.freshStoreURL(connections: 4)
        var stores: [PostgresStore] = []
        for _ in 0..<count { stores.append(try await PostgresStore(url: url, clock: clock)) }
        return stores
    }

    @Test("two anchors electing for the same instance at once: exactly one wins, every time, over 300 tries")
    func concurrentElections() async throws {
        let clock = ManualClock(unixSeconds: PostgresTestStores.epoch)
        let stores = try await Self.handles(2, clock: clock)
        defer { for store in stores { store.close() } }
        let elections = stores.map { PostgresLeaseAuthority(store: $0, leaseSeconds: 30) }
        for round in 0..<300 {
            let instance = "ticket-\(round % 100)"
            // Each instance is elected three times: at epoch 0, then over an expired lease, twice.
            let seen = try await elections[0].record(of: instance)?.lease.epoch ?? 0
            let outcomes = try await withThrowingTaskGroup(of: String?.self) { group in
                for (index, election) in elections.enumerated() {
                    group.addTask {
                        do {
                            return try await election.acquire(instance, for: "anchor-\(index)", seenEpoch: seen).holder
                        } catch ElectionError.conflict {
                            return nil
                        }
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            let winners = outcomes.compactMap { $0 }
            #expect(winners.count == 1, "round \(round): winners \(winners)")
            let record = try await elections[1].record(of: instance)
            #expect(record?.lease.epoch == seen + 1 && record?.holder == winners.first, "round \(round)")
            if round % 100 == 99 { clock.advance(seconds: 31) }  // every lease lapses before the next pass
        }
    }

    @Test("an executor fenced by a takeover on another anchor can no longer append through any of them")
    func fencingAcrossAnchors() async throws {
        let clock = ManualClock(unixSeconds: PostgresTestStores.epoch)
        let stores = try await Self.handles(2, clock: clock)
        defer { for store in stores { store.close() } }
        let first = PostgresLeaseAuthority(store: stores[0], leaseSeconds: 30)
        let second = PostgresLeaseAuthority(store: stores[1], leaseSeconds: 30)
        let logs = stores.map { PostgresAttestationLog(store: $0) }
        let old = try await first.acquire("insurance-7", for: "node-1", seenEpoch: 0)
        let appended = try await logs[0].append(
            AttestationLogConformance.attestation("o-1", topic: "order/insurance-7"), fencedBy: old.lease)
        #expect(appended.entry.position == 1)
        let new = try await second.takeOver("insurance-7", for: "node-2", seenEpoch: 1)
        for log in logs {
            await #expect(throws: StaleLeaseError(presented: old.lease, current: new.lease)) {
                _ = try await log.append(
                    AttestationLogConformance.attestation("o-2", topic: "order/insurance-7"), fencedBy: old.lease)
            }
        }
        #expect(try await logs[1].head(of: "order/insurance-7") == 1)
        let next = try await logs[1].append(
            AttestationLogConformance.attestation("o-2", topic: "order/insurance-7"), fencedBy: new.lease)
        #expect(next.entry.position == 2)
    }

    @Test("a reader on one anchor is woken by an append on another (NOTIFY), not by its fallback poll")
    func notifyAcrossAnchors() async throws {
        let clock = ManualClock(unixSeconds: PostgresTestStores.epoch)
        let stores = try await Self.handles(2, clock: clock)
        defer { for store in stores { store.close() } }
        let writer = PostgresAttestationLog(store: stores[0])
        // A fallback poll far longer than the test's deadline: only the notification can deliver in time.
        let reader = PostgresAttestationLog(store: stores[1], pollInterval: .seconds(600))
        let stream = try await reader.subscribe(topic: "flight-status/LH400", from: 1)
        let received = Mutex<[UInt64]>([])
        let consumer = Task {
            for try await entry in stream {
                let count = received.withLock { received in
                    received.append(entry.position)
                    return received.count
                }
                if count == 20 { return }
            }
        }
        defer { consumer.cancel() }
        try await Task.sleep(for: .milliseconds(300))  // the subscription's first read and its LISTEN are in place
        for index in 1...20 {
            _ = try await writer.append(
                AttestationLogConformance.attestation("s-\(index)", topic: "flight-status/LH400"), fencedBy: nil)
        }
        try await waitUntil(timeout: .seconds(30), "20 entries through NOTIFY") {
            received.withLock { $0.count } == 20
        }
        #expect(received.withLock { $0 } == Array(1...20))
    }

    @Test("appends to one topic from several anchors at once take gap-free positions, each id once")
    func concurrentAppends() async throws {
        let stores = try await Self.handles(3, clock: ManualClock(unixSeconds: PostgresTestStores.epoch))
        defer { for store in stores { store.close() } }
        let logs = stores.map { PostgresAttestationLog(store: $0) }
        // 120 ids, each appended twice (a retry through another anchor): 120 entries, positions 1…120.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<240 {
                let log = logs[index % logs.count]
                group.addTask {
                    _ = try await log.append(
                        AttestationLogConformance.attestation("e-\(index % 120)", topic: "inbox/ticket-1"),
                        fencedBy: nil)
                }
            }
            try await group.waitForAll()
        }
        let entries = try await logs[0].entries(topic: "inbox/ticket-1", from: 1, limit: 500)
        #expect(entries.map(\.position) == Array(1...120))
        #expect(Set(entries.map(\.attestation.id)).count == 120)
    }
}
