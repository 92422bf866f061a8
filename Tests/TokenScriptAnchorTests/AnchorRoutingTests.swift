import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptModel
import TokenScriptTesting

/// Failure routing: the executor hands its call to the anchor, which performs it once against the real API
/// (a loopback server here) and signs the outcome with its own key; each routing is recorded.
@Suite("The anchor routes failed calls")
struct AnchorRoutingTests {
    static func call(to server: ScriptedHTTPServer, lease: ExecutorLease) -> AnchorCall {
        let request = BuiltEffectRequest(
            effect: "book", requestID: "ticket-1/3/book/1", method: "POST", url: "http://127.0.0.1:\(server.port)/book",
            headers: ["Content-Type": "application/json"], body: "{\"seat\":\"12A\"}", timeoutMilliseconds: 2_000,
            idempotencyKey: "ticket-1/purchase/3/book", idempotencyHeader: "Idempotency-Key")
        return AnchorCall(request: request, lease: lease, number: 4, startedAt: 1_700_000_000, elapsedMilliseconds: 900)
    }

    @Test("the API failing for the anchor too: one request, a `failed` statement signed by the anchor, recorded")
    func failedRouting() async throws {
        let api = try ScriptedHTTPServer(replies: [.status(503, contentType: "text/plain", body: "down")])
        try await AnchorFixture.with { fixture in
            let node = try await fixture.join("node-1")
            let lease = try await node.election.elect("ticket-1")
            let routing = try await node.anchoring.route(Self.call(to: api, lease: lease.lease))
            #expect(api.requestCount == 1)
            #expect(api.requests.first?.headers["idempotency-key"] == "ticket-1/purchase/3/book")
            #expect(routing.failed)
            #expect(routing.statement.type == "failed")
            #expect(routing.statement.issuer == fixture.anchor.signer.issuer)
            #expect(routing.attempt.route == .anchor)
            let trust = TrustConfiguration(grants: [
                .init(issuer: fixture.anchor.signer.issuer, topics: [TopicPattern("effect/*")])
            ])
            let verified = AttestationVerifier.verify(
                routing.statement, trust: trust, now: routing.statement.issuedAt, seen: SeenAttestations())
            #expect((try? verified.get())?.attestation == routing.statement, "\(verified)")
            let routings = try await node.anchoring.routings()
            #expect(routings.count == 1)
            #expect(routings.first?.executor == "node-1")
            #expect(routings.first?.outcome == "failed")
            #expect(routings.first?.requestID == "ticket-1/3/book/1")
            #expect(routings.first?.statementID == routing.statement.id)
        }
    }

    @Test("the API answering the anchor: its answer, signed; a call under a stale lease is refused, never sent")
    func successAndStale() async throws {
        let api = try ScriptedHTTPServer(replies: [.json("{\"booked\":true}")])
        try await AnchorFixture.with { fixture in
            let node = try await fixture.join("node-1")
            let other = try await fixture.join("node-2")
            let lease = try await node.election.elect("ticket-1")
            let holder = lease.holder == "node-1" ? node : other
            let bystander = lease.holder == "node-1" ? other : node
            await #expect(throws: StaleLeaseError.self) {
                try await bystander.anchoring.route(Self.call(to: api, lease: lease.lease))
            }
            #expect(api.requestCount == 0)
            let routing = try await holder.anchoring.route(Self.call(to: api, lease: lease.lease))
            #expect(!routing.failed)
            #expect(routing.statement.type == "success")
            #expect(api.requestCount == 1)
            #expect(try await holder.anchoring.routings().map(\.outcome) == ["success"])
            // Once per request: a repeat gets the first statement and the API is not called again.
            let again = try await holder.anchoring.route(Self.call(to: api, lease: lease.lease))
            #expect(again.statement == routing.statement)
            #expect(api.requestCount == 1)
            #expect(try await holder.anchoring.routings().count == 1)
        }
    }

    @Test("a lease of one instance cannot route another instance's call or order another instance's inputs")
    func otherInstances() async throws {
        let api = try ScriptedHTTPServer(replies: [.json("{\"booked\":true}")])
        try await AnchorFixture.with { fixture in
            let node = try await fixture.join("node-1")
            let own = try await node.election.elect("ticket-9")
            // ticket-1's request id under ticket-9's lease.
            await #expect(throws: AnchorClientError.self) {
                try await node.anchoring.route(Self.call(to: api, lease: own.lease))
            }
            #expect(api.requestCount == 0)
            let log = node.log
            let record = try fixture.signed(
                AttestationLogConformance.attestation("o-1", topic: "order/ticket-1"), by: "node-1")
            for fence in [nil, own.lease] {
                await #expect(throws: AnchorClientError.self) { _ = try await log.append(record, fencedBy: fence) }
            }
            #expect(try await fixture.anchor.log.head(of: "order/ticket-1") == 0)
            let ownRecord = try fixture.signed(
                AttestationLogConformance.attestation("o-2", topic: "order/ticket-9"), by: "node-1")
            _ = try await log.append(ownRecord, fencedBy: own.lease)
            #expect(try await fixture.anchor.log.head(of: "order/ticket-9") == 1)
        }
    }

    @Test("the hash most hosts report is expected: a wrong first report is the one accused, a tie waits")
    func evidenceByMajority() async throws {
        try await AnchorFixture.with { fixture in
            let nodes = [
                try await fixture.join("node-1"), try await fixture.join("node-2"), try await fixture.join("node-3"),
            ]
            func hash(_ text: String) -> AnchorMessages.StateHash {
                AnchorMessages.StateHash(instance: "ticket-1", sequence: 5, stateHash: text)
            }
            #expect(try await nodes[0].anchoring.report([hash("0xbad")]) == [])
            // One against one: nobody can tell yet.
            #expect(try await nodes[1].anchoring.report([hash("0xaa")]) == [])
            #expect(try await nodes[0].anchoring.evidence() == [])
            let mismatches = try await nodes[2].anchoring.report([hash("0xaa")])
            #expect(mismatches.map(\.node) == ["node-1"])
            #expect(mismatches.first?.reported == "0xbad")
            #expect(mismatches.first?.expected == "0xaa")
            #expect(mismatches.first?.expectedBy == "node-2")
            #expect(try await nodes[1].anchoring.evidence().map(\.node) == ["node-1"])
            // A report repeated changes nothing; node-1 is accused once.
            #expect(try await nodes[2].anchoring.report([hash("0xaa")]) == [])
            #expect(try await nodes[1].anchoring.evidence().count == 1)
        }
    }

    @Test("a host that contradicts its own report of a sequence is recorded as evidence against it")
    func evidence() async throws {
        try await AnchorFixture.with { fixture in
            let first = try await fixture.join("node-1")
            let second = try await fixture.join("node-2")
            let agreed = AnchorMessages.StateHash(instance: "ticket-1", sequence: 3, stateHash: "0xaa")
            #expect(try await first.anchoring.report([agreed]) == [])
            #expect(try await second.anchoring.report([agreed]) == [])
            let diverging = AnchorMessages.StateHash(instance: "ticket-1", sequence: 3, stateHash: "0xbb")
            let mismatches = try await second.anchoring.report([diverging])
            #expect(mismatches.map(\.node) == ["node-2"])
            #expect(mismatches.first?.expected == "0xaa")
            #expect(try await first.anchoring.evidence().map(\.reported) == ["0xbb"])
        }
    }
}
