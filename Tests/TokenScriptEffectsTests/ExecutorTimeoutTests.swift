import Testing
import TokenScriptAttestation
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptModel
import TokenScriptSimulation
import TokenScriptCluster

/// Timeouts and the anchor fallback on the executor, timed by a `ManualClock`: the scripted transport's timed-out
/// attempt moves the clock by the request's timeout, backoff waits move it too, and nothing really waits.
/// (The HTTP transport's own deadline is tested against a hanging loopback server in `EgressTransportTests`.)
@Suite struct ExecutorTimeoutTests {
    static let key = "ticket-42/delayed/7/bookHotel"
    static let startedAt: UInt64 = 1_790_000_000

    struct Fixture {
        let clock = ManualClock()
        let leases = InMemoryLeaseAuthority()
        let transport: ScriptedEffectTransport
        let executor: EffectExecutor
        let lease: ExecutorLease

        init(_ responses: [ScriptedResponse], anchor: Bool) {
            transport = ScriptedEffectTransport(
                responses: ResponseScript(queues: ["bookHotel": responses]), egress: .default, clock: clock)
            lease = leases.acquire("ticket-42")
            executor = EffectExecutor(
                transport: transport, leases: leases, sleeper: clock, clock: clock,
                anchor: anchor
                    ? LocalAnchoringNode(
                        name: "anchor", signer: EffectExecutorTests.anchorSigner, transport: transport, clock: clock)
                    : nil)
        }

        func run(_ policy: RetryPolicy, anchorFallback: Bool) async throws -> EffectCallOutcome {
            let request = EffectExecutorTests.bookingRequest(
                url: "https://hotels.example.org/bookings", key: ExecutorTimeoutTests.key, timeoutMilliseconds: 10_000)
            return try await executor.execute(
                request, policy: policy, anchorFallback: anchorFallback, lease: lease,
                startedAt: ExecutorTimeoutTests.startedAt
            ) { _ in }
        }
    }

    @Test("every attempt times out, the anchor's too: failed, signed by the anchor, dated by the simulated time")
    func timeoutsThenAnchorFailsGivesFailed() async throws {
        let fixture = Fixture(Array(repeating: .timeout, count: 4), anchor: true)
        let outcome = try await fixture.run(RetryPolicy(retries: 2, backoff: .fixed), anchorFallback: true)
        #expect(outcome.kind == .failed)
        #expect(outcome.eventType == "failed")
        #expect(outcome.outcome == EffectOutcome.failed)
        #expect(outcome.attempts.allSatisfy { $0.result == .timeout })
        #expect(outcome.attempts.map(\.route) == [.direct, .direct, .direct, .anchor])
        // The anchoring node signed its own statement; the executor only passes it on.
        let statement = try #require(outcome.anchorStatement)
        #expect(statement.issuer == EffectExecutorTests.anchorSigner.issuer)
        #expect(statement.topic == "effect/bookHotel")
        #expect(statement.type == "failed")
        #expect(statement.payload["idempotencyKey"]?.stringValue == Self.key)
        #expect(statement.payload["attempts"]?.integerValue == 4)
        #expect(statement.payload["status"] == nil)
        // Four timeouts of 10 s and two waits of 1 s: 42 s after the requesting step.
        #expect(fixture.clock.waits == [1_000, 1_000])
        #expect(fixture.clock.milliseconds == 42_000)
        #expect(statement.issuedAt == Self.startedAt + 42)
    }

    @Test func timeoutsWithoutFallbackEndAsTimeout() async throws {
        let fixture = Fixture([.timeout, .timeout], anchor: false)
        let outcome = try await fixture.run(RetryPolicy(retries: 1), anchorFallback: false)
        #expect(outcome.kind == .timeout)
        #expect(outcome.attempts.map(\.result) == [.timeout, .timeout])
        #expect(outcome.anchorStatement == nil)
    }

    @Test func anchorRoutesTheCallAfterTimeouts() async throws {
        let fixture = Fixture(
            [.timeout, .timeout, .status(201, body: .object(["id": .string("booking-1")]))], anchor: true)
        let outcome = try await fixture.run(RetryPolicy(retries: 1), anchorFallback: true)
        #expect(outcome.kind == .success(status: 201))
        #expect(outcome.attempts.map(\.route) == [.direct, .direct, .anchor])
        let statement = try #require(outcome.anchorStatement)
        #expect(statement.type == "success")
        #expect(statement.issuer == EffectExecutorTests.anchorSigner.issuer)
        #expect(statement.payload["body"] == ["id": "booking-1"])
        #expect(fixture.transport.answers(for: "ticket-42/7/bookHotel/1").count == 3)
    }
}
