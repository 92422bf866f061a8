import Testing
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEngine
import TokenScriptSQLite

/// The shared cluster conformance suite, unchanged, against the SQLite stores: every check gets a new
/// database file and a manual clock, as the in-memory implementations do in TokenScriptClusterTests.
@Suite("SQLite stores pass the cluster conformance suite")
struct SQLiteClusterConformanceTests {
    static let leaseSeconds: UInt64 = 30

    @Test("SQLiteLeaseAuthority conforms to ExecutorElection", arguments: ElectionConformance.checks)
    func election(_ check: ConformanceCheck<ElectionSubject>) async throws {
        let directory = try DatabaseDirectory()
        let clock = ManualClock(unixSeconds: testEpochSeconds)
        let store = try SQLiteStore(path: directory.newDatabase(), clock: clock)
        let election = SQLiteLeaseAuthority(store: store, leaseSeconds: Self.leaseSeconds)
        try await check.run(ElectionSubject(election: election, clock: clock, leaseSeconds: Self.leaseSeconds))
    }

    @Test("SQLiteAttestationLog conforms to AttestationLog", arguments: AttestationLogConformance.checks)
    func attestationLog(_ check: ConformanceCheck<AttestationLogSubject>) async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let election = SQLiteLeaseAuthority(store: store, leaseSeconds: Self.leaseSeconds)
        try await check.run(AttestationLogSubject(log: SQLiteAttestationLog(store: store), election: election))
    }

    @Test("SQLiteInstanceStore conforms to InstanceStore", arguments: InstanceStoreConformance.checks)
    func instanceStore(_ check: ConformanceCheck<InstanceStoreSubject>) async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let election = SQLiteLeaseAuthority(store: store, leaseSeconds: Self.leaseSeconds)
        try await check.run(InstanceStoreSubject(store: SQLiteInstanceStore(store: store), election: election))
    }

    @Test("SQLitePlacement conforms to InstancePlacement", arguments: PlacementConformance.checks)
    func placement(_ check: ConformanceCheck<PlacementSubject>) async throws {
        let directory = try DatabaseDirectory()
        try await check.run(
            PlacementSubject(make: {
                let store = try SQLiteStore(
                    path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
                return SQLitePlacement(store: store)
            }))
    }

    @Test("SQLiteSLOMonitor conforms to SLOMonitor", arguments: SLOMonitorConformance.checks)
    func sloMonitor(_ check: ConformanceCheck<any SLOMonitor>) async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        try await check.run(SQLiteSLOMonitor(store: store))
    }
}
