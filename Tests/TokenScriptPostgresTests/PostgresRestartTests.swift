import Synchronization
import Testing
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEngine
import TokenScriptPostgres
import TokenScriptTesting

/// The database restarted under a running store: operations fail fast and name the database while it is down, the
/// pool reconnects by itself when it is back, and nothing committed is lost or done twice.
@Suite("PostgreSQL store across a database restart")
struct PostgresRestartTests {
    @Test("while PostgreSQL is down operations fail naming it; after it restarts the store goes on, losing nothing")
    func restart() async throws {
        try await DedicatedPostgres.with { server in try await Self.restart(server) }
    }

    static func restart(_ server: DedicatedPostgres) async throws {
        let clock = ManualClock(unixSeconds: PostgresTestStores.epoch)
        let store = try await PostgresStore(url: server.url, clock: clock, operationTimeout: .seconds(10))
        defer { store.close() }
        let log = PostgresAttestationLog(store: store, pollInterval: .seconds(600))
        let election = PostgresLeaseAuthority(store: store, leaseSeconds: 300)
        let lease = try await election.acquire("ticket-1", for: "node-1", seenEpoch: 0)
        let stream = try await log.subscribe(topic: "order/ticket-1", from: 1)
        let received = Mutex<[String]>([])
        let consumer = Task {
            for try await entry in stream { received.withLock { $0.append(entry.attestation.id) } }
        }
        defer { consumer.cancel() }
        _ = try await log.append(
            AttestationLogConformance.attestation("o-1", topic: "order/ticket-1"), fencedBy: lease.lease)

        try await server.pause()
        do {
            _ = try await log.append(
                AttestationLogConformance.attestation("o-2", topic: "order/ticket-1"), fencedBy: lease.lease)
            Issue.record("appended while the database was down")
        } catch let error as PostgresStoreError {
            guard case .unavailable = error else {
                Issue.record("expected unavailable, got \(error)")
                return
            }
            #expect("\(error)".contains(server.url.replacingOccurrences(of: "postgres://", with: "")))
        }
        // Down, the election cannot be read: no lease, so an executor would refuse to act.
        #expect(await election.currentLease(of: "ticket-1") == nil)

        try await server.resume()
        // The retried append goes through once the pool has reconnected, at the next position.
        let appended = Mutex<LogAppend?>(nil)
        try await waitUntil(timeout: .seconds(60), "an append after the restart") {
            let result = try? await log.append(
                AttestationLogConformance.attestation("o-2", topic: "order/ticket-1"), fencedBy: lease.lease)
            appended.withLock { $0 = result }
            return result != nil
        }
        #expect(appended.withLock { $0 }?.entry.position == 2)
        // A retry of an append whose answer was lost in the restart is recognised, not logged again.
        let again = try await log.append(
            AttestationLogConformance.attestation("o-1", topic: "order/ticket-1"), fencedBy: lease.lease)
        guard case .alreadyLogged(let entry) = again else {
            Issue.record("o-1 logged twice: \(again)")
            return
        }
        #expect(entry.position == 1)
        #expect(try await election.record(of: "ticket-1") == lease)
        // The subscription opened before the restart delivers what came after it: its LISTEN connection came back
        // and woke it (its fallback poll is ten minutes).
        try await waitUntil(timeout: .seconds(30), "the subscription to resume") {
            received.withLock { $0 } == ["o-1", "o-2"]
        }
    }
}
