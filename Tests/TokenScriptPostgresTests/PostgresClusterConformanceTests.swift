import Testing
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEngine
import TokenScriptPostgres
import TokenScriptTesting

/// The shared cluster conformance suite, unchanged, against the PostgreSQL stores: every check gets a new schema
/// on the test run's throw-away server and a manual clock, as the in-memory and SQLite implementations do.
@Suite("PostgreSQL stores pass the cluster conformance suite")
struct PostgresClusterConformanceTests {
    static let leaseSeconds: UInt64 = 30

    @Test("PostgresLeaseAuthority conforms to ExecutorElection", arguments: ElectionConformance.checks)
    func election(_ check: ConformanceCheck<ElectionSubject>) async throws {
        let clock = ManualClock(unixSeconds: PostgresTestStores.epoch)
        let store = try await PostgresTestStores.fresh(clock: clock)
        defer { store.close() }
        let election = PostgresLeaseAuthority(store: store, leaseSeconds: Self.leaseSeconds)
        try await check.run(ElectionSubject(election: election, clock: clock, leaseSeconds: Self.leaseSeconds))
    }

    @Test("PostgresAttestationLog conforms to AttestationLog", arguments: AttestationLogConformance.checks)
    func attestationLog(_ check: ConformanceCheck<AttestationLogSubject>) async throws {
        let store = try await PostgresTestStores.fresh()
        defer { store.close() }
        let election = PostgresLeaseAuthority(store: store, leaseSeconds: Self.leaseSeconds)
        try await check.run(AttestationLogSubject(log: PostgresAttestationLog(store: store), election: election))
    }

    @Test("PostgresInstanceStore conforms to InstanceStore", arguments: InstanceStoreConformance.checks)
    func instanceStore(_ check: ConformanceCheck<InstanceStoreSubject>) async throws {
        let store = try await PostgresTestStores.fresh()
        defer { store.close() }
        let election = PostgresLeaseAuthority(store: store, leaseSeconds: Self.leaseSeconds)
        try await check.run(InstanceStoreSubject(store: PostgresInstanceStore(store: store), election: election))
    }

    @Test("PostgresPlacement conforms to InstancePlacement", arguments: PlacementConformance.checks)
    func placement(_ check: ConformanceCheck<PlacementSubject>) async throws {
        let stores = StoreCloser()
        defer { stores.closeAll() }
        try await check.run(
            PlacementSubject(make: {
                let store = try await PostgresTestStores.fresh()
                stores.add(store)
                return PostgresPlacement(store: store)
            }))
    }

    @Test("PostgresSLOMonitor conforms to SLOMonitor", arguments: SLOMonitorConformance.checks)
    func sloMonitor(_ check: ConformanceCheck<any SLOMonitor>) async throws {
        let store = try await PostgresTestStores.fresh()
        defer { store.close() }
        try await check.run(PostgresSLOMonitor(store: store))
    }
}

/// The shared lifecycle suite, unchanged, against `PostgresInstanceLifecycle`, each check in a schema of its own.
@Suite("PostgreSQL instance lifecycle conformance")
struct PostgresInstanceLifecycleConformanceTests {
    @Test(
        "PostgresInstanceLifecycle conforms to InstanceLifecycleStore", arguments: InstanceLifecycleConformance.checks)
    func lifecycle(_ check: ConformanceCheck<InstanceLifecycleSubject>) async throws {
        let store = try await PostgresTestStores.fresh()
        defer { store.close() }
        try await check.run(
            InstanceLifecycleSubject(
                lifecycle: PostgresInstanceLifecycle(store: store), instances: PostgresInstanceStore(store: store),
                createJournal: { try await PostgresJournalStore.create($0, in: store) },
                openJournal: { try await PostgresJournalStore.open($0, in: store) }))
    }
}
