import Testing
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptClusterConformance

/// The shared conformance suite against the in-memory implementations: the same checks a SQLite or
/// PostgreSQL implementation must pass unchanged. Every check gets fresh stores and a manual clock.
@Suite("In-memory implementations pass the cluster conformance suite")
struct ClusterConformanceTests {
    static let leaseSeconds: UInt64 = 30

    @Test("InMemoryLeaseAuthority conforms to ExecutorElection", arguments: ElectionConformance.checks)
    func election(_ check: ConformanceCheck<ElectionSubject>) async throws {
        let clock = ManualClock(unixSeconds: 1_700_000_000)
        let election = InMemoryLeaseAuthority(clock: clock, leaseSeconds: Self.leaseSeconds)
        try await check.run(ElectionSubject(election: election, clock: clock, leaseSeconds: Self.leaseSeconds))
    }

    @Test("InMemoryAttestationLog conforms to AttestationLog", arguments: AttestationLogConformance.checks)
    func attestationLog(_ check: ConformanceCheck<AttestationLogSubject>) async throws {
        let election = InMemoryLeaseAuthority(
            clock: ManualClock(unixSeconds: 1_700_000_000), leaseSeconds: Self.leaseSeconds)
        try await check.run(AttestationLogSubject(log: InMemoryAttestationLog(fencing: election), election: election))
    }

    @Test("InMemoryInstanceStore conforms to InstanceStore", arguments: InstanceStoreConformance.checks)
    func instanceStore(_ check: ConformanceCheck<InstanceStoreSubject>) async throws {
        let election = InMemoryLeaseAuthority(
            clock: ManualClock(unixSeconds: 1_700_000_000), leaseSeconds: Self.leaseSeconds)
        try await check.run(InstanceStoreSubject(store: InMemoryInstanceStore(fencing: election), election: election))
    }

    @Test("InMemoryPlacement conforms to InstancePlacement", arguments: PlacementConformance.checks)
    func placement(_ check: ConformanceCheck<PlacementSubject>) async throws {
        try await check.run(PlacementSubject(make: { try InMemoryPlacement() }))
    }

    @Test("InMemorySLOMonitor conforms to SLOMonitor", arguments: SLOMonitorConformance.checks)
    func sloMonitor(_ check: ConformanceCheck<any SLOMonitor>) async throws {
        try await check.run(InMemorySLOMonitor())
    }

    @Test("runAll stops at the first failure and names the protocol, the step and the values")
    func failureNamesProtocolStepAndValues() async throws {
        let failure = await #expect(throws: ConformanceFailure.self) {
            try await ConformanceCheck.runAll(ElectionConformance.checks) {
                let clock = ManualClock(unixSeconds: 1_700_000_000)
                return ElectionSubject(
                    election: ForgetfulElection(wrapped: InMemoryLeaseAuthority(clock: clock, leaseSeconds: 30)),
                    clock: clock, leaseSeconds: 30)
            }
        }
        let found = try #require(failure)
        #expect(found.protocolName == "ExecutorElection")
        #expect(found.step == "node-b acquires at epoch 0")
        #expect(found.description.hasPrefix("ExecutorElection does not conform: node-b acquires at epoch 0: "))
        #expect(found.details.contains("ElectionError.conflict") && found.details.contains("node-b"))
    }
}

/// A broken election for the suite to catch: every acquire wins, as if there were no compare-and-swap.
struct ForgetfulElection: ExecutorElection {
    let wrapped: InMemoryLeaseAuthority

    func currentLease(of instance: String) async -> ExecutorLease? { await wrapped.currentLease(of: instance) }
    func record(of instance: String) async throws -> LeaseRecord? { try await wrapped.record(of: instance) }
    func acquire(_ instance: String, for candidate: String, seenEpoch: UInt64) async throws -> LeaseRecord {
        let seen = try await wrapped.record(of: instance)?.lease.epoch ?? 0
        return try await wrapped.takeOver(instance, for: candidate, seenEpoch: seen)
    }
    func takeOver(_ instance: String, for candidate: String, seenEpoch: UInt64) async throws -> LeaseRecord {
        try await wrapped.takeOver(instance, for: candidate, seenEpoch: seenEpoch)
    }
    func renew(_ lease: ExecutorLease, for holder: String) async throws -> LeaseRecord {
        try await wrapped.renew(lease, for: holder)
    }
    func release(_ lease: ExecutorLease, for holder: String) async throws {
        try await wrapped.release(lease, for: holder)
    }
}

/// The shared lifecycle suite against `InMemoryInstanceLifecycle`: the reference the SQLite and PostgreSQL
/// implementations are held to.
@Suite("In-memory instance lifecycle conformance")
struct InMemoryInstanceLifecycleConformanceTests {
    @Test(
        "InMemoryInstanceLifecycle conforms to InstanceLifecycleStore", arguments: InstanceLifecycleConformance.checks)
    func lifecycle(_ check: ConformanceCheck<InstanceLifecycleSubject>) async throws {
        let instances = InMemoryInstanceStore(fencing: InMemoryLeaseAuthority(clock: ManualClock(unixSeconds: 1_000)))
        let journals = InMemoryJournals()
        try await check.run(
            InstanceLifecycleSubject(
                lifecycle: InMemoryInstanceLifecycle(instances: instances, journals: journals), instances: instances,
                createJournal: { try journals.create($0) }, openJournal: { try journals.open($0) }))
    }
}
