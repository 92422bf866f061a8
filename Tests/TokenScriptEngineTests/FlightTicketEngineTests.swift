import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptRuntime

/// The flight ticket of `TokenScripts/flight-ticket.xml`, driven by attestations signed in the test.
@Suite struct FlightTicketEngineTests {
    let now: UInt64 = 1_790_000_100

    func activeTicket() async throws -> JournaledInstance {
        let machine = TokenStateMachine(
            definition: try EngineTestSupport.flightTicket(), runtime: EngineTestSupport.pool)
        let ticket = JournaledInstance(machine: machine, instanceID: "ticket-1")
        let outcome = try await ticket.deliver(
            try EngineTestSupport.flightStatus(id: "s1", type: "scheduled"), now: now)
        #expect(outcome.disposition == .applied(trigger: "scheduled"))
        #expect(outcome.instance.state == "active")
        #expect(outcome.instance.attributes["flight"] == .string("LH2024"))
        #expect(outcome.instance.attributes["departureTime"] == .int(1_790_050_000))
        return ticket
    }

    @Test func onTimeChangesNothing() async throws {
        let ticket = try await activeTicket()
        let before = await ticket.instance
        let outcome = try await ticket.deliver(try EngineTestSupport.flightStatus(id: "s2", type: "on-time"), now: now)
        #expect(outcome.disposition == .unmatched)
        #expect(outcome.instance.state == before.state)
        #expect(outcome.instance.attributes == before.attributes)
        #expect(outcome.events.isEmpty && outcome.effects.isEmpty)
        // Only the bookkeeping advanced.
        #expect(outcome.instance.step == before.step + 1)
    }

    @Test func longDelayGrantsLounge() async throws {
        let ticket = try await activeTicket()
        let outcome = try await ticket.deliver(
            try EngineTestSupport.flightStatus(id: "d1", type: "delay", delay: 200), now: now)
        #expect(outcome.disposition == .applied(trigger: "lounge-access"))
        #expect(outcome.instance.state == "lounge")
        #expect(outcome.instance.attributes["loungeAccess"] == .bool(true))
        #expect(outcome.instance.attributes["delayMinutes"] == .int(200))
        #expect(outcome.events == [EmittedEvent(type: "lounge-granted", data: .object(["minutes": .int(200)]))])
        #expect(outcome.effects.isEmpty)
    }

    @Test func shortDelayAndVeryLongDelay() async throws {
        let ticket = try await activeTicket()
        let short = try await ticket.deliver(
            try EngineTestSupport.flightStatus(id: "d1", type: "delay", delay: 30), now: now)
        #expect(short.disposition == .applied(trigger: "short-delay"))
        #expect(short.instance.state == "delayed")
        #expect(short.instance.attributes["loungeAccess"] == .bool(false))
        let long = try await ticket.deliver(
            try EngineTestSupport.flightStatus(id: "d2", type: "delay", delay: 400), now: now)
        #expect(long.disposition == .applied(trigger: "significant-delay"))
        #expect(long.instance.state == "rebooking")
        #expect(long.effects == [EffectRequest(name: "rebookHotel", input: .object(["nights": .int(1)]))])
    }

    @Test func gotoTransitionRunsWithoutLua() async throws {
        let ticket = try await activeTicket()
        let outcome = try await ticket.deliver(try EngineTestSupport.flightStatus(id: "x1", type: "departed"), now: now)
        #expect(outcome.disposition == .applied(trigger: "departed"))
        #expect(outcome.instance.state == "departed")
    }

    @Test func duplicateIsIgnored() async throws {
        let ticket = try await activeTicket()
        let delay = try EngineTestSupport.flightStatus(id: "d1", type: "delay", delay: 200)
        let first = try await ticket.deliver(delay, now: now)
        let again = try await ticket.deliver(delay, now: now + 60)
        guard case .ignored(let rejection) = again.disposition else {
            Issue.record("expected ignored, got \(again.disposition)")
            return
        }
        #expect(rejection.reason == .duplicate(id: "d1"))
        #expect(again.instance == first.instance)
        #expect(again.events.isEmpty)
    }

    @Test func replayedIdIsRejected() async throws {
        let ticket = try await activeTicket()
        _ = try await ticket.deliver(try EngineTestSupport.flightStatus(id: "d1", type: "delay", delay: 200), now: now)
        let before = await ticket.instance
        let outcome = try await ticket.deliver(
            try EngineTestSupport.flightStatus(id: "d1", type: "delay", delay: 500), now: now)
        #expect(outcome.disposition == .rejected(AttestationRejection(id: "d1", reason: .replayed(id: "d1"))))
        #expect(outcome.instance == before)
    }

    @Test func untrustedIssuerIsRejected() async throws {
        let ticket = try await activeTicket()
        let before = await ticket.instance
        let outcome = try await ticket.deliver(
            try EngineTestSupport.flightStatus(id: "d9", type: "delay", delay: 500, signer: EngineTestSupport.stranger),
            now: now)
        guard case .rejected(let rejection) = outcome.disposition else {
            Issue.record("expected rejected, got \(outcome.disposition)")
            return
        }
        #expect(rejection.reason == .untrustedIssuer(topic: "flight-status/LH2024"))
        #expect(outcome.instance == before)
    }

    @Test func expiredIsRejected() async throws {
        let ticket = try await activeTicket()
        let stale = try EngineTestSupport.flightStatus(
            id: "d3", type: "delay", delay: 500, issuedAt: 1_789_000_000, expiresAt: 1_789_003_600)
        let outcome = try await ticket.deliver(stale, now: now)
        #expect(outcome.disposition == .rejected(AttestationRejection(id: "d3", reason: .expired(at: 1_789_003_600))))
        #expect(await ticket.instance.state == "active")
    }

    @Test func forgeryIsRejected() async throws {
        let ticket = try await activeTicket()
        var forged = try EngineTestSupport.flightStatus(id: "d4", type: "delay", delay: 30)
        forged.payload = ["flight": "LH2024", "departure": 1_790_050_000, "delayMinutes": 600, "gate": "A12"]
        let outcome = try await ticket.deliver(forged, now: now)
        guard case .rejected(let rejection) = outcome.disposition else {
            Issue.record("expected rejected, got \(outcome.disposition)")
            return
        }
        #expect(rejection.reason.code == "wrong-signer")
        #expect(await ticket.instance.state == "active")
    }

    /// Every kind of step, journaled to a file, read back and replayed: every state hash reproduces.
    @Test func journalOfMixedStepsReplays() async throws {
        let ticket = try await activeTicket()
        let deliveries: [Attestation] = [
            try EngineTestSupport.flightStatus(id: "s2", type: "on-time"),
            try EngineTestSupport.flightStatus(id: "d1", type: "delay", delay: 200),
            try EngineTestSupport.flightStatus(id: "d1", type: "delay", delay: 200),
            try EngineTestSupport.flightStatus(id: "d1", type: "delay", delay: 999),
            try EngineTestSupport.flightStatus(id: "d9", type: "delay", delay: 5, signer: EngineTestSupport.stranger),
            try EngineTestSupport.flightStatus(id: "d2", type: "delay", delay: 400),
        ]
        for attestation in deliveries { try await ticket.deliver(attestation, now: now) }
        let journal = try await ticket.journal()
        #expect(
            journal.entries.map(\.outcome.kind) == [
                "applied", "unmatched", "applied", "ignored", "rejected", "rejected", "applied",
            ])

        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "engine-journal-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(journal.bytes).write(to: url)
        let read = try Journal(bytes: Array(try Data(contentsOf: url)))
        #expect(read == journal)

        let report = try await Replay.run(
            read, definition: try EngineTestSupport.flightTicket(), runtime: EngineTestSupport.pool)
        #expect(report.stepsVerified == 7)
        #expect(report.finalStateHash == (await ticket.instance.stateHash))
    }
}
