import Foundation
import Testing
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptModel
import TokenScriptRuntime
@testable import TokenScriptEngine

/// Issue 8, class 5: time comes from the inputs, never from the replica. The node's clock is read once, when
/// an input is accepted; validity windows, schedule dueness and `os.time` use that journaled time.
@Suite("Time fixed at acceptance")
struct AcceptanceTimeTests {
    /// September 2001: every machine running these tests has a clock years past this expiry.
    static let issuedAt: UInt64 = 1_000_000_000
    static let expiresAt: UInt64 = 1_000_000_600

    /// A "scheduled" report (booked → active) that expires ten minutes after it was issued.
    static func expiring() throws -> Attestation {
        try EngineTestSupport.flightStatus(id: "s1", type: "scheduled", issuedAt: issuedAt, expiresAt: expiresAt)
    }

    static func engine() throws -> JournaledInstance {
        JournaledInstance(
            machine: TokenStateMachine(
                definition: try EngineTestSupport.flightTicket(), runtime: EngineTestSupport.pool),
            instanceID: "ticket-1")
    }

    @Test(
        """
        two engines whose clocks lie either side of an attestation's expiry reach the same state \
        from one accepted input
        """
    )
    func replicasAgree() async throws {
        let attestation = try Self.expiring()
        // Node A accepts it a second before expiry: the time is fixed here, once.
        let input = AcceptedInput(attestation, clock: FixedEngineClock(Self.expiresAt - 1))
        let first = try Self.engine()
        let second = try Self.engine()
        let a = try await first.apply(input)
        // Node B's clock already says "expired"; it applies the same accepted input and never reads its clock.
        #expect(FixedEngineClock(Self.expiresAt + 3600).unixSeconds() > Self.expiresAt)
        let b = try await second.apply(input)
        #expect(a.disposition == .applied(trigger: "scheduled"), "\(a.disposition)")
        #expect(b.disposition == a.disposition)
        #expect(a.instance.stateHash == b.instance.stateHash)
        let journalA = try await first.journal(), journalB = try await second.journal()
        #expect(journalA.jsonLines == journalB.jsonLines)
        #expect(journalA.entries.first?.receivedAt == Self.expiresAt - 1)

        // Without a fixed acceptance time, node B's own clock would have refused it: the divergence avoided.
        let third = try Self.engine()
        let late = try await third.accept(attestation, clock: FixedEngineClock(Self.expiresAt + 3600))
        guard case .rejected(let rejection) = late.disposition, case .expired = rejection.reason else {
            Issue.record("expected expired, got \(late.disposition)")
            return
        }
    }

    @Test("a replay on a machine whose clock is years past the expiry gives the journaled result")
    func replayYearsLater() async throws {
        let engine = try Self.engine()
        try await engine.accept(try Self.expiring(), clock: FixedEngineClock(Self.issuedAt + 10))
        let journal = try Journal(jsonLines: try await engine.journal().jsonLines)
        // This machine's own clock is years past the expiry; replay takes no clock at all, so the journaled
        // acceptance time is the only one it can use.
        #expect(Date().timeIntervalSince1970 > Double(Self.expiresAt + 5 * 365 * 86_400))
        let report = try await Replay.run(
            journal, definition: try EngineTestSupport.flightTicket(), runtime: EngineTestSupport.pool)
        #expect(report.stepsVerified == 1)
        #expect(report.finalStateHash == journal.entries.last?.stateHash)
        // And a replica applying the journaled input years later agrees too.
        let replica = try Self.engine()
        let outcome = try await replica.apply(try #require(journal.entries.first).input)
        #expect(outcome.instance.stateHash == report.finalStateHash)
    }

    @Test("an acceptance time beyond the attestation range is clamped, so the journal holds exactly what was used")
    func acceptanceClamped() async throws {
        let input = AcceptedInput(try Self.expiring(), clock: FixedEngineClock(.max))
        #expect(input.acceptedAt == UInt64(AttestationValue.maximumInteger))
        let engine = try Self.engine()
        try await engine.deliver(try Self.expiring(), now: .max)
        let journal = try await engine.journal()
        let reread = try Journal(jsonLines: journal.jsonLines)
        #expect(reread.entries.first?.receivedAt == UInt64(AttestationValue.maximumInteger))
    }

    @Test(
        "schedule arithmetic saturates: a far-future time attribute is not due",
        arguments: [
            ("time = 2^63-1", Int64.max, ISODuration.seconds(3600)),
            ("time = 2^63-3600", Int64.max - 3599, ISODuration.seconds(3600)),
            ("time = 2^63-1, longest delay", Int64.max, ISODuration("P36500D")!),
        ] as [(String, Int64, ISODuration)])
    func farFutureScheduleNotDue(label: String, start: Int64, delay: ISODuration) {
        let schedule = ScheduleTrigger.after(delay, from: .attribute("departureTime"))
        // Every time an attestation can carry (a schedule tick's `issuedAt` is at most 2^53-1).
        for now in [0, Self.issuedAt, UInt64(AttestationValue.maximumInteger)] as [UInt64] {
            #expect(
                !ScheduleCheck.isDue(schedule, at: now, attributes: ["departureTime": .int(start)]),
                "\(label) at \(now)")
        }
    }

    @Test("the verifier's skew arithmetic saturates: a huge skew does not wrap into not-yet-valid")
    func verifierSaturates() throws {
        var trust = try EngineTestSupport.flightTicket().trust
        trust.clockSkew = .max
        let verdict = AttestationVerifier.verify(
            try Self.expiring(), trust: trust, now: 10,
            seen: Journal(definitionID: "", instanceID: "", initialStateHash: ""))
        #expect((try? verdict.get()) != nil, "\(verdict)")
    }
}
