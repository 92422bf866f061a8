import Foundation
import Testing
import TokenScriptCluster
import TokenScriptEffects
import TokenScriptAttestation
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptModel
import TokenScriptTesting

/// Collects journal records in order.
final class JournalRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [EffectJournalEntry] = []

    var entries: [EffectJournalEntry] { lock.withLock { recorded } }
    var kinds: [String] { entries.map(\.kind) }

    var journal: EffectExecutor.RecordSink {
        { entry in self.lock.withLock { self.recorded.append(entry) } }
    }
}

/// A sleeper that hands the instance's lease to a new executor during the first backoff wait.
struct TakeoverSleeper: Sleeper {
    let leases: InMemoryLeaseAuthority
    let instance: String

    func sleep(milliseconds: Int64) async throws {
        leases.acquire(instance)
    }
}

/// Executor tests against the real hotel API on 127.0.0.1 over the real transport (policy: loopback allowed); no
/// test really sleeps between retries (a `ManualClock` advances by the backoff and records it instead).
@Suite struct EffectExecutorTests {
    static let instance = "ticket-42"
    static let bookingBody = #"{"guest":"Ada Lovelace","hotel":"Grand","nights":2}"#
    static let anchorSigner = try! Ed25519AttestationSigner(seed: Array(repeating: 0x66, count: 32))

    /// A built request of effect `bookHotel` as the engine's builder would make it.
    static func bookingRequest(
        url: String, key: String, timeoutMilliseconds: Int64 = 5_000, idempotencyHeader: String = "Idempotency-Key"
    ) -> BuiltEffectRequest {
        BuiltEffectRequest(
            effect: "bookHotel", requestID: "\(instance)/7/bookHotel/1", method: "POST", url: url,
            headers: ["Content-Type": "application/json", idempotencyHeader: key], body: bookingBody,
            timeoutMilliseconds: timeoutMilliseconds, idempotencyKey: key, idempotencyHeader: idempotencyHeader)
    }

    struct Fixture {
        let server: HotelAPIServer
        let leases = InMemoryLeaseAuthority()
        let clock = ManualClock()
        var sleeper: ManualClock { clock }
        let journal = JournalRecorder()
        let lease: ExecutorLease
        let executor: EffectExecutor

        init(_ server: HotelAPIServer, anchor: Bool = false) {
            self.server = server
            lease = leases.acquire(EffectExecutorTests.instance)
            executor = EffectExecutor(
                transport: HTTPEffectTransport(policy: .testLoopback), leases: leases, sleeper: clock, clock: clock,
                anchor: anchor
                    ? LocalAnchoringNode(
                        name: "anchor", signer: EffectExecutorTests.anchorSigner,
                        transport: HTTPEffectTransport(policy: .testLoopback), clock: clock) : nil)
        }

        func request(
            key: String = BuiltEffectRequest.defaultIdempotencyKey(
                instance: EffectExecutorTests.instance, trigger: "delayed", sequence: 7, effect: "bookHotel"),
            timeoutMilliseconds: Int64 = 5_000, url: String? = nil
        ) -> BuiltEffectRequest {
            EffectExecutorTests.bookingRequest(
                url: url ?? server.bookingsURL.absoluteString, key: key, timeoutMilliseconds: timeoutMilliseconds)
        }

        func run(
            _ request: BuiltEffectRequest, policy: RetryPolicy, anchorFallback: Bool = false,
            lease: ExecutorLease? = nil
        ) async throws -> EffectCallOutcome {
            try await executor.execute(
                request, policy: policy, anchorFallback: anchorFallback, lease: lease ?? self.lease,
                journal: journal.journal)
        }
    }

    static func statuses(_ outcome: EffectCallOutcome) -> [String] {
        outcome.attempts.map { attempt in
            switch attempt.result {
            case .success(let status, _), .error(let status, _): "\(status)"
            case .timeout: "timeout"
            case .connectionFailed: "connection"
            case .refused: "refused"
            }
        }
    }

    @Test func succeedsFirstTime() async throws {
        let fixture = Fixture(try HotelAPIServer())
        let outcome = try await fixture.run(fixture.request(), policy: RetryPolicy(retries: 3))
        #expect(outcome.kind == .success(status: 201))
        #expect(outcome.eventType == "success")
        #expect(outcome.outcome == EffectOutcome.success)
        #expect(outcome.attempts.count == 1)
        let body = try #require(outcome.body)
        let booking = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(booking["id"] as? String == "booking-1")
        #expect(fixture.server.bookingCount == 1)
        #expect(fixture.server.bookingRequests.first?.idempotencyKey == "ticket-42/delayed/7/bookHotel")
        #expect(fixture.sleeper.waits.isEmpty)
    }

    @Test func retriesTwo503sWithOneKeyAndBooksOnce() async throws {
        let fixture = Fixture(try HotelAPIServer(script: [.status(503), .status(503)]))
        let outcome = try await fixture.run(fixture.request(), policy: RetryPolicy(retries: 3, backoff: .fixed))
        #expect(outcome.kind == .success(status: 201))
        #expect(Self.statuses(outcome) == ["503", "503", "201"])
        #expect(outcome.attempts.map(\.number) == [1, 2, 3])
        let keys = fixture.server.bookingRequests.map(\.idempotencyKey)
        #expect(keys.count == 3)
        #expect(Set(keys) == ["ticket-42/delayed/7/bookHotel"])
        #expect(fixture.server.bookingCount == 1)
        #expect(fixture.sleeper.waits == [1000, 1000])
    }

    @Test func repeatedCallWithTheSameKeyGetsTheSameBooking() async throws {
        // A restarted executor (a new lease epoch) resends the journaled request: same key, same booking.
        let fixture = Fixture(try HotelAPIServer())
        let first = try await fixture.run(fixture.request(), policy: .none)
        let takeover = fixture.leases.acquire(Self.instance)
        let second = try await fixture.run(fixture.request(), policy: .none, lease: takeover)
        #expect(first.kind == .success(status: 201))
        #expect(second.kind == .success(status: 200))
        let ids = try [first, second].map { outcome in
            let body = try #require(outcome.body)
            return try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])["id"] as? String
        }
        #expect(ids == ["booking-1", "booking-1"])
        #expect(fixture.server.bookingCount == 1)
    }

    @Test func badRequestIsFinalAtOnce() async throws {
        let fixture = Fixture(try HotelAPIServer(script: [.status(400)]), anchor: true)
        let outcome = try await fixture.run(fixture.request(), policy: RetryPolicy(retries: 5), anchorFallback: true)
        #expect(outcome.kind == .error(status: 400))
        #expect(outcome.status == 400)
        #expect(outcome.attempts.count == 1)
        #expect(fixture.server.bookingRequests.count == 1)
        #expect(fixture.server.bookingCount == 0)
        #expect(fixture.sleeper.waits.isEmpty)
    }

    @Test func tooManyRequestsAndServerErrorsAreRetried() async throws {
        let fixture = Fixture(try HotelAPIServer(script: [.status(429), .status(500)]))
        let outcome = try await fixture.run(fixture.request(), policy: RetryPolicy(retries: 2, backoff: .fixed))
        #expect(outcome.kind == .success(status: 201))
        #expect(Self.statuses(outcome) == ["429", "500", "201"])
        #expect(fixture.server.bookingCount == 1)
    }

    @Test func exhaustedServerErrorsGoThroughTheAnchorAndEndAsFailed() async throws {
        // 503 after every retry: the retry policy is exhausted, so the anchoring node routes the call once.
        let fixture = Fixture(try HotelAPIServer { _ in .status(503) }, anchor: true)
        let outcome = try await fixture.run(
            fixture.request(), policy: RetryPolicy(retries: 2, backoff: .fixed), anchorFallback: true)
        #expect(outcome.kind == .failed)
        #expect(outcome.attempts.map(\.route) == [.direct, .direct, .direct, .anchor])
        #expect(fixture.server.bookingRequests.count == 4)
    }

    @Test func aFinalClientErrorIsNotRoutedAroundByTheAnchor() async throws {
        // 400 is the API's answer, not an outage: no retry, no anchor.
        let fixture = Fixture(try HotelAPIServer { _ in .status(400) }, anchor: true)
        let outcome = try await fixture.run(
            fixture.request(), policy: RetryPolicy(retries: 2, backoff: .fixed), anchorFallback: true)
        #expect(outcome.kind == .error(status: 400))
        #expect(outcome.attempts.map(\.route) == [.direct])
    }

    @Test func exponentialBackoffIsRecordedNotSlept() async throws {
        let fixture = Fixture(try HotelAPIServer(script: Array(repeating: .status(503), count: 4)))
        let policy = RetryPolicy(retries: 4, backoff: .exponential, initial: .seconds(1), maximum: .seconds(4))
        let outcome = try await fixture.run(fixture.request(), policy: policy)
        #expect(outcome.kind == .success(status: 201))
        #expect(outcome.attempts.count == 5)
        // The waits go through the manual clock, which never sleeps: the policy is checked, not the clock.
        #expect(fixture.sleeper.waits == [1000, 2000, 4000, 4000])
    }

    @Test func closedConnectionIsRetried() async throws {
        let fixture = Fixture(try HotelAPIServer(script: [.close]))
        let outcome = try await fixture.run(fixture.request(), policy: RetryPolicy(retries: 1))
        #expect(outcome.kind == .success(status: 201))
        #expect(Self.statuses(outcome) == ["connection", "201"])
        #expect(fixture.server.bookingCount == 1)
    }

    @Test func refusedConnectionsEndAsErrorWithoutStatus() async throws {
        let fixture = Fixture(try HotelAPIServer())
        let url = "http://127.0.0.1:\(ScriptedHTTPServer.unusedPort())/bookings"
        let outcome = try await fixture.run(fixture.request(url: url), policy: RetryPolicy(retries: 1))
        #expect(outcome.kind == .error(status: nil))
        #expect(Self.statuses(outcome) == ["connection", "connection"])
    }

    @Test func staleEpochIsRefusedWithoutAnyConnection() async throws {
        let fixture = Fixture(try HotelAPIServer())
        let stale = fixture.lease
        let current = fixture.leases.acquire(Self.instance)
        await #expect(throws: EffectExecutionError.staleLease(presented: stale, current: current)) {
            _ = try await fixture.run(fixture.request(), policy: RetryPolicy(retries: 3), lease: stale)
        }
        #expect(fixture.server.connections == 0)
        #expect(fixture.journal.entries.isEmpty)
        let message = EffectExecutionError.staleLease(presented: stale, current: current).description
        #expect(message.contains("stale") && message.contains("epoch 2"))
    }

    @Test func leaseLostDuringBackoffStopsFurtherAttempts() async throws {
        let server = try HotelAPIServer { _ in .status(503) }
        let leases = InMemoryLeaseAuthority()
        let lease = leases.acquire(Self.instance)
        let journal = JournalRecorder()
        let executor = EffectExecutor(
            transport: HTTPEffectTransport(policy: .testLoopback), leases: leases,
            sleeper: TakeoverSleeper(leases: leases, instance: Self.instance), clock: ManualClock())
        let request = Fixture(server).request()
        await #expect(throws: EffectExecutionError.self) {
            _ = try await executor.execute(
                request, policy: RetryPolicy(retries: 3), anchorFallback: false, lease: lease,
                journal: journal.journal)
        }
        #expect(server.bookingRequests.count == 1)
        #expect(journal.kinds == ["intent", "attemptStarted", "attemptEnded"])
    }

    @Test func fallbackWithoutAnchoringNodeIsRefused() async throws {
        let fixture = Fixture(try HotelAPIServer())
        await #expect(throws: EffectExecutionError.noAnchoringNode(effect: "bookHotel")) {
            _ = try await fixture.run(fixture.request(), policy: .none, anchorFallback: true)
        }
        #expect(fixture.server.connections == 0)
    }

    @Test func journalRecordsIntentAttemptsOutcomeInOrder() async throws {
        let fixture = Fixture(try HotelAPIServer(script: [.status(503)]))
        let request = fixture.request()
        let outcome = try await fixture.run(request, policy: RetryPolicy(retries: 2))
        let entries = fixture.journal.entries
        #expect(
            fixture.journal.kinds == [
                "intent", "attemptStarted", "attemptEnded", "attemptStarted", "attemptEnded", "outcome",
            ])
        #expect(entries.first?.record == .intent(request: request, lease: fixture.lease))
        #expect(entries[1].record == .attemptStarted(number: 1, route: .direct))
        #expect(entries[3].record == .attemptStarted(number: 2, route: .direct))
        #expect(entries.last?.record == .outcome(outcome))
        #expect(Set(entries.map(\.idempotencyKey)) == [request.idempotencyKey])
        #expect(Set(entries.map(\.effect)) == ["bookHotel"])
        // On the manual clock only the backoff wait moves time: the second attempt starts 1 s (the default
        // fixed backoff) after the first ended.
        let times = entries.map(\.time)
        #expect(times == [0, 0, 0, 1_000, 1_000, 1_000])
        let ended: EffectAttempt? = if case .attemptEnded(let attempt) = entries[2].record { attempt } else { nil }
        let attempt = try #require(ended, "expected attemptEnded, got \(entries[2].kind)")
        #expect(attempt.started == 0 && attempt.ended == 0)
        #expect(attempt.result.status == 503)
        // Codable, so the engine can journal them.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let decoded = try JSONDecoder().decode([EffectJournalEntry].self, from: encoder.encode(entries))
        #expect(decoded == entries)
    }

    @Test func modelHeaderNameCarriesTheKey() async throws {
        let server = try HotelAPIServer(idempotencyHeader: "X-Booking-Key")
        let effect = ServerEffect(
            name: "bookHotel", method: .POST, url: "${env.hotelApi}/bookings", timeout: .seconds(5),
            retry: RetryPolicy(retries: 1), idempotencyKey: IdempotencyKey(header: "X-Booking-Key"))
        let fixture = Fixture(server)
        let request = Self.bookingRequest(
            url: server.bookingsURL.absoluteString, key: "custom-key-1",
            timeoutMilliseconds: effect.timeout.milliseconds, idempotencyHeader: effect.idempotencyKey.header)
        #expect(request.timeoutMilliseconds == 5_000)
        #expect(request.idempotencyHeader == "X-Booking-Key")
        let outcome = try await fixture.executor.execute(
            request, of: effect, lease: fixture.lease, journal: fixture.journal.journal)
        #expect(outcome.kind == .success(status: 201))
        #expect(server.bookingRequests.first?.headers["x-booking-key"] == "custom-key-1")
        #expect(server.bookingRequests.first?.headers["idempotency-key"] == nil)
    }

    @Test func defaultKeyIgnoresTheEpoch() {
        let key = BuiltEffectRequest.defaultIdempotencyKey(
            instance: "ticket-42", trigger: "delayed", sequence: 7, effect: "bookHotel")
        #expect(key == "ticket-42/delayed/7/bookHotel")
    }
}
