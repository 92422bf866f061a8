import Testing
import TokenScriptAttestation
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptExecutor
import TokenScriptTesting
import TokenScriptCluster

/// Pending work is read from the instance's journal, so it survives the coordinator: a coordinator created
/// over an existing instance (a restarted process) finds the effects still awaiting an outcome.
@Suite(.serialized) struct EffectCoordinatorRestartTests {
    @Test("a coordinator created over a journal with an unexecuted effect finds it and sends its key once")
    func restartFindsPendingWork() async throws {
        let hotel = try HotelAPIServer()
        let definition = try Fixture.definition(timeoutMilliseconds: 5_000)
        let leases = InMemoryLeaseAuthority()
        let lease = leases.acquire(Fixture.instanceID)
        let node = try await Fixture.node(
            definition: definition, server: hotel, leases: leases, lease: lease, identity: Fixture.nodeA)
        // The steps are journaled, but the process stops before executing the effect.
        _ = try await node.coordinator.receive(try Fixture.scheduled, now: Fixture.start)
        _ = try await node.coordinator.receive(try Fixture.longDelay, now: Fixture.start + 60)
        #expect(hotel.connections == 0)

        // A new coordinator over the same instance: nothing handed over but the journal.
        let environment = (try Fixture.tokenScript()).environment(
            overrides: ["hotelApi": hotel.baseURL.absoluteString])
        let restarted = await EffectCoordinator(
            instance: node.instance, identity: Fixture.nodeA, lease: lease, executor: node.executor,
            environment: environment, runtime: Fixture.pool)
        let pending = try await restarted.pending
        #expect(pending.map(\.requestID) == ["ticket-1/2/rebookHotel/1"])
        #expect(pending.first?.request.idempotencyKey == Fixture.key)
        #expect(pending.first?.startedAt == Fixture.start + 60)

        let resumed = try await restarted.resumePending()
        #expect(resumed.effects.first?.outcome?.kind == .success(status: 201))
        #expect(resumed.steps.map { $0.outcome.disposition.trigger } == ["hotel-rebooked"])
        #expect(try await restarted.pending.isEmpty)
        #expect(try await node.coordinator.pending.isEmpty)

        // Resuming again sends nothing: the key went out exactly once.
        let again = try await restarted.resumePending()
        #expect(again.effects.isEmpty)
        #expect(hotel.requestCount(forKey: Fixture.key) == 1)
        #expect(hotel.bookingCount == 1)
        try await Fixture.expectReplays(node, definition: definition)
    }

    @Test("an effect whose first outcome awaits the anchor's verdict stays pending until the verdict is journaled")
    func outcomesThatAwaitTheAnchorDoNotSettle() throws {
        let signer = Fixture.nodeA
        func outcome(_ type: String, _ payload: AttestationValue) throws -> Attestation {
            try signer.sign(
                Attestation(
                    id: "o-\(type)", topic: "effect/rebookHotel", type: type, issuer: signer.issuer, issuedAt: 1,
                    payload: payload))
        }
        #expect(!OutcomeAttestations.settlesCall(try outcome("timeout", [:]), anchorFallback: true))
        #expect(!OutcomeAttestations.settlesCall(try outcome("error", ["status": 503]), anchorFallback: true))
        #expect(!OutcomeAttestations.settlesCall(try outcome("error", [:]), anchorFallback: true))
        #expect(OutcomeAttestations.settlesCall(try outcome("error", ["status": 404]), anchorFallback: true))
        #expect(OutcomeAttestations.settlesCall(try outcome("error", ["refused": "no"]), anchorFallback: true))
        #expect(OutcomeAttestations.settlesCall(try outcome("failed", [:]), anchorFallback: true))
        #expect(OutcomeAttestations.settlesCall(try outcome("timeout", [:]), anchorFallback: false))
    }
}
