import Testing
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptModel
import TokenScriptSimulation

/// Issue 8, class 1: simulated elapsed time with the longest timeouts and backoffs saturates instead of trapping.
@Suite("Simulated time saturates")
struct SimulatedTimeTests {
    @Test(
        "the longest timeout and an uncapped exponential backoff over 100 retries give a late outcome, never a trap",
        arguments: [
            ("start 0", UInt64(0)), ("start at the attestation limit", UInt64(AttestationValue.maximumInteger)),
            ("start at 2^64-1", UInt64.max),
        ] as [(String, UInt64)])
    func longestTimeouts(label: String, startedAt: UInt64) async throws {
        var effect = try #require(try SimulationTestSupport.flightTicket().server.effect(named: "rebookHotel"))
        effect.timeout = try #require(ISODuration("P36500D"))
        effect.retry = RetryPolicy(retries: 100, backoff: .exponential, initial: try #require(ISODuration("P36500D")))
        effect.anchorFallback = false
        let request = SimulationTestSupport.request(effect)
        let (call, _) = try await SimulationTestSupport.call(
            request, effect: effect, responses: ResponseScript(fallback: .timeout), startedAt: startedAt)
        #expect(call.attempts.count == 101, "\(label)")
        #expect(call.attempts.allSatisfy { $0.waitMilliseconds <= ISODuration.maximumMilliseconds }, "\(label)")
        #expect(call.outcomes.map(\.type) == ["timeout"], "\(label)")
        let issuedAt = try #require(call.outcomes.first?.issuedAt)
        #expect(issuedAt >= min(startedAt, UInt64(AttestationValue.maximumInteger)), "\(label)")
        #expect(issuedAt <= UInt64(AttestationValue.maximumInteger), "\(label)")
    }

    @Test("retry delays without max= stop at the longest duration instead of Int64.max")
    func delayCap() throws {
        let policy = RetryPolicy(retries: 100, backoff: .exponential, initial: try #require(ISODuration("PT1S")))
        #expect(policy.delayMilliseconds(beforeRetry: 100) == ISODuration.maximumMilliseconds)
        #expect(policy.delayMilliseconds(beforeRetry: 3) == 4000)
    }
}
