import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptDocument
import TokenScriptEffects
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptExecutor
import TokenScriptModel
import TokenScriptRuntime
import TokenScriptSandbox
import TokenScriptTesting

/// The live effect path against a real hotel API on 127.0.0.1 (`HotelAPIServer`, counting bookings per
/// idempotency key), the real transport (loopback allowed by the egress policy), real sandboxed Lua; the backoff
/// waits go to a `ManualClock`, which records them instead of sleeping.
enum Fixture {
    static let pool: SandboxPool = {
        do { return try SandboxPool(configuration: .init(size: 2)) } catch {
            fatalError("cannot start sandbox pool: \(error)")
        }
    }()

    static let airline = TestKeys.airline
    static let nodeA = TestKeys.ed25519(0xA1)
    static let nodeB = TestKeys.ed25519(0xB2)
    static let anchor = TestKeys.ed25519(0x66)
    static let instanceID = "ticket-1"
    /// The flight ticket's `sl:idempotency-key`: `"rebook-" .. flight .. "-" .. departureTime`.
    static let key = "rebook-LH2024-1790050000"
    static let start: UInt64 = 1_790_000_000

    private static let probe = Attestation(
        id: "probe", topic: "probe", type: "probe", issuer: .ed25519(publicKey: Array(repeating: 0, count: 32)),
        issuedAt: 1,
        payload: .null)
    static var airlineIssuer: Issuer { try! airline.sign(probe, scheme: .eip191).issuer }

    static func tokenScript() throws -> TokenScript {
        let loaded = try TokenScriptReader.read(file: TestPaths.tokenScripts + "/flight-ticket.xml")
        precondition(!loaded.hasErrors, "\(loaded.diagnostics)")
        return loaded.tokenScript
    }

    /// `flight-ticket.xml` as every node of the test deployment prepares it: the airline's key replaced by the
    /// test key (as the engine tests do), `rebookHotel` pointed at the test server's route (`/bookings`) with a
    /// short per-attempt timeout, both executing nodes trusted for `effect/*` and the anchor's key in place.
    static func definition(timeoutMilliseconds: Int64) throws -> TokenDefinition {
        var script = try tokenScript()
        let airlineIndex = script.server!.issuers.firstIndex { $0.name == "airline" }!
        script.server!.issuers[airlineIndex].key = airlineIssuer.key
        // Every ticket here is for LH2024: its triggers listen to flight-status/${flight}.
        let flightIndex = script.server!.attributes.firstIndex { $0.name == "flight" }!
        script.server!.attributes[flightIndex].initial = "LH2024"
        let effectIndex = script.server!.effects.firstIndex { $0.name == "rebookHotel" }!
        script.server!.effects[effectIndex].url = "${env.hotelApi}/bookings"
        script.server!.effects[effectIndex].timeout = ISODuration("PT\(Double(timeoutMilliseconds) / 1000)S")!
        script.server!.effects[effectIndex].timeout.milliseconds = timeoutMilliseconds
        let server = ExecutorTrust.prepare(
            script.server!, executors: [("executor", nodeA.issuer.key), ("executor-b", nodeB.issuer.key)],
            anchor: anchor.issuer.key)
        return try TokenDefinition(name: script.name ?? "FlightTicket", server: server)
    }

    static func flightStatus(id: String, type: String, delay: Int64 = 0, issuedAt: UInt64) throws -> Attestation {
        let payload: AttestationValue = [
            "flight": "LH2024", "departure": 1_790_050_000, "delayMinutes": .integer(delay), "gate": "A12",
        ]
        return try airline.sign(
            Attestation(
                id: id, topic: "flight-status/LH2024", type: type, issuer: airlineIssuer, issuedAt: issuedAt,
                payload: payload),
            scheme: .eip191)
    }

    static var scheduled: Attestation { get throws { try flightStatus(id: "s1", type: "scheduled", issuedAt: start) } }
    static var longDelay: Attestation {
        get throws { try flightStatus(id: "d1", type: "delay", delay: 400, issuedAt: start + 60) }
    }

    /// One node: its replica of the instance and its coordinator.
    struct Node {
        var instance: JournaledInstance
        var coordinator: EffectCoordinator
        var sleeper: ManualClock
        var executor: EffectExecutor
    }

    static func node(
        definition: TokenDefinition, server: HotelAPIServer, leases: InMemoryLeaseAuthority, lease: ExecutorLease,
        identity: Ed25519AttestationSigner, egress: EgressPolicy = .testLoopback
    ) async throws -> Node {
        let instance = JournaledInstance(
            machine: TokenStateMachine(definition: definition, runtime: pool), instanceID: instanceID)
        let sleeper = ManualClock()
        let anchorNode = LocalAnchoringNode(
            name: "anchor", signer: anchor, transport: HTTPEffectTransport(policy: egress), clock: sleeper)
        let executor = EffectExecutor(
            transport: HTTPEffectTransport(policy: egress), leases: leases, sleeper: sleeper, clock: sleeper,
            anchor: anchorNode)
        let environment = (try tokenScript()).environment(
            overrides: ["hotelApi": server.baseURL.absoluteString])
        let coordinator = await EffectCoordinator(
            instance: instance, identity: identity, lease: lease, executor: executor, environment: environment,
            runtime: pool)
        return Node(instance: instance, coordinator: coordinator, sleeper: sleeper, executor: executor)
    }

    /// Replays the node's journal from scratch (no network, no executor): every step and state hash must
    /// come out the same, which holds only because outcome attestations, not HTTP calls, drive the state.
    static func expectReplays(_ node: Node, definition: TokenDefinition) async throws {
        let journal = try await node.instance.journal()
        let report = try await Replay.run(journal, definition: definition, runtime: pool)
        #expect(report.stepsVerified == journal.entries.count)
        #expect(report.finalStateHash == (await node.instance.instance).stateHash)
        #expect(report.finalStateHash == journal.entries.last?.stateHash)
    }
}

extension SandboxValue {
    func member(_ name: String) -> SandboxValue? { if case .object(let members) = self { members[name] } else { nil } }
}

@Suite(.serialized) struct EffectCoordinatorTests {
    @Test(
        "under the default egress policy the loopback API is never reached: a final, signed error carrying the refusal")
    func refusedByEgressPolicy() async throws {
        let hotel = try HotelAPIServer()
        let definition = try Fixture.definition(timeoutMilliseconds: 5_000)
        let leases = InMemoryLeaseAuthority()
        let node = try await Fixture.node(
            definition: definition, server: hotel, leases: leases, lease: leases.acquire(Fixture.instanceID),
            identity: Fixture.nodeA, egress: .default)

        _ = try await node.coordinator.deliver(try Fixture.scheduled, now: Fixture.start)
        let delivery = try await node.coordinator.deliver(try Fixture.longDelay, now: Fixture.start + 60)

        let run = try #require(delivery.effects.first)
        #expect(run.outcome?.kind == .error(status: nil))
        #expect(run.outcome?.attempts.count == 1)
        #expect(node.sleeper.waits.isEmpty)
        // Refusals are final: one outcome from this node, nothing routed through the anchor.
        #expect(run.outcomeAttestations.map(\.type) == ["error"])
        let refused = try #require(run.outcomeAttestations.first?.payload["refused"]?.stringValue)
        #expect(refused.contains("plain http to 127.0.0.1"))
        #expect(try await node.coordinator.pending.isEmpty)
        #expect(hotel.connections == 0)
        try await Fixture.expectReplays(node, definition: definition)
    }

    @Test func longDelayRebooksWithOneBooking() async throws {
        let hotel = try HotelAPIServer()
        let definition = try Fixture.definition(timeoutMilliseconds: 5_000)
        let leases = InMemoryLeaseAuthority()
        let node = try await Fixture.node(
            definition: definition, server: hotel, leases: leases, lease: leases.acquire(Fixture.instanceID),
            identity: Fixture.nodeA)

        _ = try await node.coordinator.deliver(try Fixture.scheduled, now: Fixture.start)
        let delivery = try await node.coordinator.deliver(try Fixture.longDelay, now: Fixture.start + 60)

        #expect(delivery.steps.map { $0.outcome.disposition.trigger } == ["significant-delay", "hotel-rebooked"])
        #expect(delivery.steps[1].origin == .effectOutcome(requestID: "ticket-1/2/rebookHotel/1"))
        #expect(delivery.effects.count == 1)
        let run = try #require(delivery.effects.first)
        #expect(run.outcome?.kind == .success(status: 201))
        #expect(run.request?.idempotencyKey == Fixture.key)
        let outcome = try #require(run.outcomeAttestations.first)
        #expect(run.outcomeAttestations.count == 1)
        #expect(outcome.topic == "effect/rebookHotel" && outcome.type == "success")
        #expect(outcome.issuer == Fixture.nodeA.issuer)
        #expect(outcome.id == "effect-outcome/ticket-1/2/rebookHotel/1/success")
        #expect(outcome.payload["idempotencyKey"]?.stringValue == Fixture.key)
        #expect(outcome.payload["attempts"]?.integerValue == 1)
        #expect(outcome.payload["status"]?.integerValue == 201)

        let instance = await node.instance.instance
        #expect(instance.state == "rebooked")
        #expect(instance.attributes["hotelBooking"]?.member("id") == .string("booking-1"))
        #expect(hotel.bookingCount == 1)
        #expect(hotel.requestCount(forKey: Fixture.key) == 1)
        #expect(hotel.bookingRequests.first?.body.contains("\"flight\":\"LH2024\"") == true)

        let records = await node.coordinator.effectJournal(for: "ticket-1/2/rebookHotel/1")
        #expect(records.map(\.kind) == ["intent", "attemptStarted", "attemptEnded", "outcome"])
        #expect(records.allSatisfy { $0.idempotencyKey == Fixture.key })
        #expect(try await node.coordinator.pending.isEmpty)

        // The outcome is journaled like any other attestation, and the journal replays.
        let journal = try await node.instance.journal()
        #expect(journal.entries.count == 3)
        #expect(journal.entries[2].attestation == outcome)
        try await Fixture.expectReplays(node, definition: definition)
    }

    @Test func twoUnavailableThenCreatedIsOneBookingWithOneKey() async throws {
        let hotel = try HotelAPIServer(script: [.status(503), .status(503)])
        let definition = try Fixture.definition(timeoutMilliseconds: 5_000)
        let leases = InMemoryLeaseAuthority()
        let node = try await Fixture.node(
            definition: definition, server: hotel, leases: leases, lease: leases.acquire(Fixture.instanceID),
            identity: Fixture.nodeA)

        _ = try await node.coordinator.deliver(try Fixture.scheduled, now: Fixture.start)
        let delivery = try await node.coordinator.deliver(try Fixture.longDelay, now: Fixture.start + 60)

        let run = try #require(delivery.effects.first)
        #expect(run.outcome?.kind == .success(status: 201))
        #expect(run.outcome?.attempts.map { $0.result.status } == [503, 503, 201])
        #expect(run.outcomeAttestations.first?.payload["attempts"]?.integerValue == 3)
        #expect(node.sleeper.waits == [2_000, 4_000])
        #expect(await node.instance.instance.state == "rebooked")
        #expect(hotel.bookingCount == 1)
        #expect(hotel.bookingRequests.count == 3)
        #expect(hotel.bookingRequests.allSatisfy { $0.idempotencyKey == Fixture.key })

        let kinds = await node.coordinator.effectJournal.map(\.entry.kind)
        let attemptKinds: [String] = ["attemptStarted", "attemptEnded"]
        var expectedKinds: [String] = ["intent"]
        for _ in 1...3 { expectedKinds += attemptKinds }
        expectedKinds.append("outcome")
        #expect(kinds == expectedKinds)
        try await Fixture.expectReplays(node, definition: definition)
    }

    @Test func hangingHotelEndsWithTheAnchorsSignedFailure() async throws {
        let hotel = try HotelAPIServer { _ in .delay(seconds: 60) }
        let definition = try Fixture.definition(timeoutMilliseconds: 300)
        let leases = InMemoryLeaseAuthority()
        let node = try await Fixture.node(
            definition: definition, server: hotel, leases: leases, lease: leases.acquire(Fixture.instanceID),
            identity: Fixture.nodeA)

        _ = try await node.coordinator.deliver(try Fixture.scheduled, now: Fixture.start)
        let delivery = try await node.coordinator.deliver(try Fixture.longDelay, now: Fixture.start + 60)

        let run = try #require(delivery.effects.first)
        #expect(run.outcome?.kind == .failed)
        #expect(run.outcome?.attempts.map(\.route) == [.direct, .direct, .direct, .direct, .anchor])
        #expect(run.outcome?.attempts.allSatisfy { $0.result == .timeout } == true)
        #expect(node.sleeper.waits == [2_000, 4_000, 8_000])
        // This node's own `timeout` after its retries, then the anchor's signed `failed`.
        let outcomes = run.outcomeAttestations
        #expect(outcomes.map(\.type) == ["timeout", "failed"])
        #expect(outcomes.map(\.issuer) == [Fixture.nodeA.issuer, Fixture.anchor.issuer])
        #expect(outcomes.map { $0.payload["attempts"]?.integerValue } == [4, 5])
        #expect(
            delivery.steps.map { $0.outcome.disposition.trigger } == [
                "significant-delay", "hotel-timeout", "hotel-unreachable",
            ])

        let instance = await node.instance.instance
        #expect(instance.state == "rebook-failed")
        #expect(instance.attributes["rebookProblem"] == .string("hotel API unreachable, attested by anchor"))
        #expect(hotel.bookingCount == 0)
        #expect(hotel.bookingRequests.count == 5)
        #expect(hotel.bookingRequests.allSatisfy { $0.idempotencyKey == Fixture.key })
        #expect(try await node.coordinator.pending.isEmpty)
        try await Fixture.expectReplays(node, definition: definition)
    }

    @Test func staleExecutorIsRefusedAndTheNewerEpochExecutes() async throws {
        let hotel = try HotelAPIServer()
        let definition = try Fixture.definition(timeoutMilliseconds: 5_000)
        let leases = InMemoryLeaseAuthority()
        let leaseA = leases.acquire(Fixture.instanceID)
        let a = try await Fixture.node(
            definition: definition, server: hotel, leases: leases, lease: leaseA, identity: Fixture.nodeA)
        // Node B takes over: epoch 2. Node A still presents epoch 1.
        let leaseB = leases.acquire(Fixture.instanceID)
        #expect(leaseB.epoch == leaseA.epoch + 1)
        let b = try await Fixture.node(
            definition: definition, server: hotel, leases: leases, lease: leaseB, identity: Fixture.nodeB)

        _ = try await a.coordinator.deliver(try Fixture.scheduled, now: Fixture.start)
        let refused = try await a.coordinator.deliver(try Fixture.longDelay, now: Fixture.start + 60)
        #expect(refused.effects.first?.refusal == .staleLease(presented: leaseA, current: leaseB))
        #expect(hotel.connections == 0)
        #expect(await a.coordinator.effectJournal.isEmpty)
        #expect(try await a.coordinator.pending.map(\.requestID) == ["ticket-1/2/rebookHotel/1"])
        #expect(await a.instance.instance.state == "rebooking")

        _ = try await b.coordinator.deliver(try Fixture.scheduled, now: Fixture.start)
        let executed = try await b.coordinator.deliver(try Fixture.longDelay, now: Fixture.start + 60)
        let outcome = try #require(executed.effects.first?.outcomeAttestations.first)
        #expect(outcome.issuer == Fixture.nodeB.issuer)
        #expect(hotel.bookingCount == 1)

        // An outcome signed by a node the definition does not trust moves nothing.
        let stranger = TestKeys.ed25519(0x77)
        var forged = outcome
        forged.id = "forged"
        forged.issuer = stranger.issuer
        let rejected = try await a.coordinator.receive(try stranger.sign(forged), now: Fixture.start + 61)
        let disposition = try #require(rejected.steps.first?.outcome.disposition)
        let wasRejected = if case .rejected = disposition { true } else { false }
        #expect(wasRejected, "an untrusted outcome was not rejected: \(disposition)")
        #expect(await a.instance.instance.state == "rebooking")
        #expect(try await a.coordinator.pending.count == 1)

        // A receives B's outcome attestation (the attestation log's job, next issue) and never executes.
        let received = try await a.coordinator.receive(outcome, now: Fixture.start + 61)
        #expect(received.steps.map { $0.outcome.disposition.trigger } == ["hotel-rebooked"])
        #expect(received.effects.isEmpty)
        #expect(try await a.coordinator.pending.isEmpty)
        #expect(await a.instance.instance.stateHash == (await b.instance.instance).stateHash)
        // A's retry is still refused before sending.
        let retried = try await a.coordinator.resumePending()
        #expect(retried.effects.isEmpty)
        #expect(hotel.requestCount(forKey: Fixture.key) == 1)
        try await Fixture.expectReplays(a, definition: definition)
        try await Fixture.expectReplays(b, definition: definition)
    }

    @Test func redeliveryAfterTakeoverReachesTheSameBooking() async throws {
        let hotel = try HotelAPIServer()
        let definition = try Fixture.definition(timeoutMilliseconds: 5_000)
        let leases = InMemoryLeaseAuthority()
        let leaseA = leases.acquire(Fixture.instanceID)
        let a = try await Fixture.node(
            definition: definition, server: hotel, leases: leases, lease: leaseA, identity: Fixture.nodeA)

        _ = try await a.coordinator.deliver(try Fixture.scheduled, now: Fixture.start)
        let first = try await a.coordinator.deliver(try Fixture.longDelay, now: Fixture.start + 60)
        #expect(first.effects.first?.outcome?.kind == .success(status: 201))
        let intent = try #require(await a.coordinator.effectJournal.first)
        let journaled: (BuiltEffectRequest, ExecutorLease)? =
            if case .intent(let request, let lease) = intent.entry.record { (request, lease) } else { nil }
        let (journaledRequest, journaledLease) = try #require(journaled, "first record is not the intent")
        #expect(journaledLease == leaseA)

        // A's outcome never reached the log (say A crashed right after the call). B takes over with epoch 2;
        // its replica catches up from the log (no outcome there) and re-delivers the pending request.
        let leaseB = leases.acquire(Fixture.instanceID)
        let b = try await Fixture.node(
            definition: definition, server: hotel, leases: leases, lease: leaseB, identity: Fixture.nodeB)
        _ = try await b.coordinator.receive(try Fixture.scheduled, now: Fixture.start)
        let caughtUp = try await b.coordinator.receive(try Fixture.longDelay, now: Fixture.start + 60)
        #expect(caughtUp.effects.isEmpty)
        #expect(hotel.requestCount(forKey: Fixture.key) == 1)

        let resumed = try await b.coordinator.resumePending()
        let run = try #require(resumed.effects.first)
        #expect(run.request == journaledRequest)  // same URL, body and idempotency key: the epoch is not in it
        #expect(run.outcome?.kind == .success(status: 200))
        #expect(run.outcomeAttestations.first?.issuer == Fixture.nodeB.issuer)
        #expect(hotel.bookingCount == 1)
        #expect(hotel.requestCount(forKey: Fixture.key) == 2)
        let bInstance = await b.instance.instance
        #expect(bInstance.state == "rebooked")
        #expect(bInstance.attributes["hotelBooking"]?.member("id") == .string("booking-1"))
        #expect(bInstance.attributes["hotelBooking"]?.member("created") == .bool(false))

        // The old executor re-delivering its journaled request is refused without sending.
        do {
            _ = try await a.executor.execute(
                journaledRequest, of: definition.server.effect(named: "rebookHotel")!, lease: leaseA
            ) { _ in }
            Issue.record("a stale lease was accepted")
        } catch let error as EffectExecutionError {
            #expect(error == .staleLease(presented: leaseA, current: leaseB))
        }
        #expect(hotel.requestCount(forKey: Fixture.key) == 2)
        try await Fixture.expectReplays(a, definition: definition)
        try await Fixture.expectReplays(b, definition: definition)
    }
}

extension EgressPolicy {
    /// What the tests' loopback servers need: plain http to 127.0.0.1.
    static let testLoopback = try! EgressPolicy.allowing(["127.0.0.1/32"], plainHTTP: true)
}
