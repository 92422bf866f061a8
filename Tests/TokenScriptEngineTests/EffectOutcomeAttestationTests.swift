import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSandbox
import TokenScriptTesting

/// An effect's `failed` outcome is an attestation signed by the anchoring node (ServerExtension.md,
/// `sl:fallback`); `sl:on-effect` triggers match it by topic `effect/<name>` and type = outcome.
@Suite struct EffectOutcomeAttestationTests {
    static let anchor = TestKeys.ed25519(0x44)

    @Test func anchorSignedFailureEndsRebooking() async throws {
        var definition = try EngineTestSupport.flightTicket()
        var server = definition.server
        let index = try #require(server.issuers.firstIndex { $0.name == "anchor" })
        server.issuers[index].key = Self.anchor.issuer.key
        definition = try TokenDefinition(name: definition.tokenScriptName, server: server)

        let machine = TokenStateMachine(definition: definition, runtime: EngineTestSupport.pool)
        let ticket = JournaledInstance(machine: machine, instanceID: "ticket-2")
        let now: UInt64 = 1_790_000_100
        try await ticket.deliver(try EngineTestSupport.flightStatus(id: "s1", type: "scheduled"), now: now)
        let delay = try await ticket.deliver(
            try EngineTestSupport.flightStatus(id: "d1", type: "delay", delay: 400), now: now)
        #expect(delay.instance.state == "rebooking")

        let failure = try Self.anchor.sign(
            Attestation(
                id: "effect-1", topic: "effect/rebookHotel", type: "failed", issuer: Self.anchor.issuer,
                issuedAt: 1_790_000_090, payload: ["attempts": 5]))
        let outcome = try await ticket.deliver(failure, now: now)
        #expect(outcome.disposition == .applied(trigger: "hotel-unreachable"))
        #expect(outcome.instance.state == "rebook-failed")
        #expect(outcome.instance.attributes["rebookProblem"] == .string("hotel API unreachable, attested by anchor"))
        #expect(outcome.events == [EmittedEvent(type: "rebook-failed")])

        // The airline is not trusted to speak for the effect.
        let spoof = try EngineTestSupport.airline.sign(
            Attestation(
                id: "effect-2", topic: "effect/rebookHotel", type: "failed", issuer: EngineTestSupport.airlineIssuer,
                issuedAt: 1_790_000_090, payload: [:]), scheme: .eip191)
        let refused = try await ticket.deliver(spoof, now: now)
        #expect(
            refused.disposition
                == .rejected(
                    AttestationRejection(id: "effect-2", reason: .untrustedIssuer(topic: "effect/rebookHotel"))))

        let report = try await Replay.run(
            try await ticket.journal(), definition: definition, runtime: EngineTestSupport.pool)
        #expect(report.stepsVerified == 4)
    }
}
