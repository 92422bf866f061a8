import Synchronization
import Testing
import TokenScriptAttestation
import TokenScriptAnchorClient
import TokenScriptCluster
import TokenScriptClusterConformance

/// The cluster protocols' own conformance suites, run against the Remote* clients talking to a real anchor
/// over HTTP on 127.0.0.1: the same rules the in-memory and SQLite implementations keep.
@Suite("The anchor's protocols over HTTP conform")
struct RemoteConformanceTests {
    @Test("RemoteAttestationLog keeps every AttestationLog rule", arguments: AttestationLogConformance.checks)
    func attestationLog(check: ConformanceCheck<AttestationLogSubject>) async throws {
        try await AnchorFixture.with { fixture in
            // The log is remote; the elections the checks stage are the anchor's own (a node never names a
            // candidate), so fencing is checked against the table the anchor elects into.
            let log = try await HolderSignedLog(fixture: fixture)
            try await check.run(AttestationLogSubject(log: log, election: fixture.anchor.election))
        }
    }

    @Test(
        "RemoteElection's reads, renewals and releases keep every ExecutorElection rule",
        arguments: ElectionConformance.checks)
    func election(check: ConformanceCheck<ElectionSubject>) async throws {
        try await AnchorFixture.with { fixture in
            let election = AnchorSideElection(fixture: fixture)
            try await check.run(
                ElectionSubject(election: election, clock: fixture.clock, leaseSeconds: fixture.leaseTerm))
        }
    }

    @Test(
        "placement over registered, heartbeating nodes keeps every InstancePlacement rule",
        arguments: PlacementConformance.checks)
    func placement(check: ConformanceCheck<PlacementSubject>) async throws {
        let anchors = FixtureScope()
        defer { anchors.stop() }
        try await check.run(
            PlacementSubject {
                NodesJoiningAnchor(fixture: try await anchors.open())
            })
    }
}

/// The remote log as executors use it: a fenced append is sent by the node that holds the lease (the anchor
/// refuses anyone else's), every other request by `node-a`.
struct HolderSignedLog: AttestationLog {
    let fixture: AnchorFixture
    let reader: RemoteAttestationLog

    init(fixture: AnchorFixture) async throws {
        self.fixture = fixture
        reader = try await fixture.join("node-a").log
    }

    func append(_ attestation: Attestation, fencedBy lease: ExecutorLease?) async throws -> LogAppend {
        guard let lease, let record = try await fixture.anchor.election.record(of: lease.instance),
            record.lease == lease, let holder = record.holder, holder != "node-a"
        else { return try await reader.append(attestation, fencedBy: lease) }
        let known = try await fixture.anchor.placement.nodes().contains { $0.id == holder }
        let node = known ? TestNode(connection: try fixture.connection(holder)) : try await fixture.join(holder)
        return try await node.log.append(attestation, fencedBy: lease)
    }

    func head(of topic: String) async throws -> UInt64 { try await reader.head(of: topic) }

    func entry(topic: String, position: UInt64) async throws -> LogEntry? {
        try await reader.entry(topic: topic, position: position)
    }

    func entries(topic: String, from position: UInt64, limit: Int) async throws -> [LogEntry] {
        try await reader.entries(topic: topic, from: position, limit: limit)
    }

    func topics(from position: UInt64, limit: Int) async throws -> [LogTopic] {
        try await reader.topics(from: position, limit: limit)
    }

    func subscribe(topic: String, from position: UInt64) async throws -> AsyncThrowingStream<LogEntry, any Error> {
        try await reader.subscribe(topic: topic, from: position)
    }
}

/// The election as the anchor runs it: candidates are named by the anchor (`acquire`/`takeOver` on its own
/// table, as `POST /v1/elections` does), everything a node may do goes over HTTP signed by that node —
/// `record` and `currentLease` by an observer, `renew` and `release` by the holder named.
struct AnchorSideElection: ExecutorElection {
    let fixture: AnchorFixture

    private func node(_ name: String) async throws -> TestNode {
        if try await fixture.anchor.placement.nodes().contains(where: { $0.id == name }) {
            return TestNode(connection: try fixture.connection(name))
        }
        return try await fixture.join(name)
    }

    func currentLease(of instance: String) async -> ExecutorLease? {
        guard let observer = try? await node("observer") else { return nil }
        return await observer.election.currentLease(of: instance)
    }

    func record(of instance: String) async throws -> LeaseRecord? {
        try await node("observer").election.record(of: instance)
    }

    func acquire(_ instance: String, for candidate: String, seenEpoch: UInt64) async throws -> LeaseRecord {
        try await fixture.anchor.election.acquire(instance, for: candidate, seenEpoch: seenEpoch)
    }

    func takeOver(_ instance: String, for candidate: String, seenEpoch: UInt64) async throws -> LeaseRecord {
        try await fixture.anchor.election.takeOver(instance, for: candidate, seenEpoch: seenEpoch)
    }

    func renew(_ lease: ExecutorLease, for holder: String) async throws -> LeaseRecord {
        try await node(holder).election.renew(lease, for: holder)
    }

    func release(_ lease: ExecutorLease, for holder: String) async throws {
        try await node(holder).election.release(lease, for: holder)
    }
}

/// Placement where every registered node is a real node: it registers itself with its own key and
/// heartbeats; reads and pins go through any node still registered.
final class NodesJoiningAnchor: InstancePlacement {
    let fixture: AnchorFixture
    private let joined = Mutex<[String]>([])

    init(fixture: AnchorFixture) {
        self.fixture = fixture
    }

    private func reader() throws -> TestNode {
        guard let name = joined.withLock({ $0.first }) else {
            throw AnchorClientError(status: 0, code: "no-node", message: "no node has joined yet")
        }
        return TestNode(connection: try fixture.connection(name))
    }

    func register(_ node: ServiceNode) async throws {
        if node.id.isEmpty {
            // An empty name cannot sign; the client refuses it before anything is sent.
            try await reader().placement.register(node)
            return
        }
        try await fixture.join(node.id, weight: node.weight)
        joined.withLock { if !$0.contains(node.id) { $0.append(node.id) } }
    }

    func remove(node id: String) async throws {
        try await TestNode(connection: try fixture.connection(id)).placement.remove(node: id)
        joined.withLock { $0.removeAll { $0 == id } }
    }

    func nodes() async throws -> [ServiceNode] { try await reader().placement.nodes() }

    /// Pins go through the anchor's operator: nodes may not pin.
    func pin(_ instance: String, to nodes: [String]) async throws {
        try await fixture.operatorPlacement.pin(instance, to: nodes)
    }

    func hostingNodes(for instance: String, replicas: Int) async throws -> [ServiceNode] {
        try await reader().placement.hostingNodes(for: instance, replicas: replicas)
    }
}

/// Anchors a check opens (some checks compare two independent placements), stopped together at its end.
final class FixtureScope: Sendable {
    private let fixtures = Mutex<[AnchorFixture]>([])

    func open() async throws -> AnchorFixture {
        let fixture = try await AnchorFixture.open()
        fixtures.withLock { $0.append(fixture) }
        return fixture
    }

    func stop() { fixtures.withLock { $0.forEach { $0.stop() } } }
}
