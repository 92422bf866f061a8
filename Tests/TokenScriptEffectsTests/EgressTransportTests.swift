import Foundation
import Testing
import TokenScriptCluster
import TokenScriptEffects
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptHTTPClient
import TokenScriptModel
import TokenScriptTesting

/// The egress policy on the real transport, against real loopback servers: what is refused never opens a
/// connection, what is allowed is reached, and the check comes after name resolution.
@Suite struct EgressTransportTests {
    /// A booking request to `url`. Its deadline is two minutes: the call completes within milliseconds on a quiet
    /// machine, but the curl transfer's clock runs on while the parallel test run holds the process's few
    /// cooperative threads (the whole run was seen to stall for half a minute at its start).
    static func request(_ url: String, headers: [String: String] = ["Content-Type": "application/json"])
        -> BuiltEffectRequest
    {
        BuiltEffectRequest(
            effect: "bookHotel", requestID: "ticket-1/1/bookHotel/1", method: "POST", url: url, headers: headers,
            body: #"{"nights":1}"#, timeoutMilliseconds: 120_000, idempotencyKey: "egress-1",
            idempotencyHeader: "Idempotency-Key")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var label: String
        var allowed: [String]
        var http: Bool
        /// `PORT` stands for the server's port.
        var url: String
        var headers: [String: String] = [:]
        var reason: String
        var testDescription: String { label }
    }

    static let refusals: [Refusal] = [
        Refusal(
            label: "default policy: plain http", allowed: [], http: false, url: "http://127.0.0.1:PORT/bookings",
            reason: "plain http"),
        Refusal(
            label: "default policy, http allowed: loopback literal", allowed: [], http: true,
            url: "http://127.0.0.1:PORT/bookings",
            reason: "127.0.0.1 is loopback (127.0.0.0/8)"),
        Refusal(
            label: "localhost resolves to loopback (checked after resolution)", allowed: [], http: true,
            url: "http://localhost:PORT/bookings", reason: "localhost resolves to"),
        Refusal(
            label: "localhost with only another loopback address allowed", allowed: ["127.0.0.2/32"], http: true,
            url: "http://localhost:PORT/bookings", reason: "localhost resolves to 127.0.0.1"),
        Refusal(
            label: "a neighbour of the allowed address", allowed: ["127.0.0.1/32"], http: true,
            url: "http://127.0.0.2:PORT/bookings",
            reason: "127.0.0.2 is loopback"),
        Refusal(
            label: "CR LF in a header value", allowed: ["127.0.0.1/32"], http: true,
            url: "http://127.0.0.1:PORT/bookings",
            headers: ["X-Ref": "1\r\nX-Admin: yes"], reason: "header \"X-Ref\": the value contains CR"),
        Refusal(
            label: "a Host header from the request", allowed: ["127.0.0.1/32"], http: true,
            url: "http://127.0.0.1:PORT/bookings",
            headers: ["Host": "metadata.internal"], reason: "set by the transport"),
        Refusal(
            label: "userinfo", allowed: ["127.0.0.1/32"], http: true, url: "http://a:b@127.0.0.1:PORT/bookings",
            reason: "userinfo"),
        Refusal(
            label: "decimal host", allowed: ["127.0.0.1/32"], http: true, url: "http://2130706433:PORT/bookings",
            reason: "non-canonical IPv4"),
    ]

    @Test("a refused request opens no connection and is refused with its reason", arguments: refusals)
    func refused(_ entry: Refusal) async throws {
        let server = try HotelAPIServer()
        let policy = try EgressPolicy.allowing(entry.allowed, plainHTTP: entry.http)
        let transport = HTTPEffectTransport(policy: policy)
        var headers = ["Content-Type": "application/json"]
        headers.merge(entry.headers) { $1 }
        let result = await transport.perform(
            Self.request(entry.url.replacingOccurrences(of: "PORT", with: "\(server.port)"), headers: headers))
        guard case .refused(let reason) = result else {
            Issue.record("expected a refusal, got \(result)")
            return
        }
        #expect(reason.contains(entry.reason), "\(reason)")
        #expect(!result.isRetryable)
        #expect(server.connections == 0)
    }

    @Test("allowing 127.0.0.1/32 and http reaches the loopback server")
    func allowedLoopback() async throws {
        let server = try HotelAPIServer()
        let transport = HTTPEffectTransport(policy: try EgressPolicy.allowing(["127.0.0.1/32"], plainHTTP: true))
        let result = await transport.perform(Self.request("http://127.0.0.1:\(server.port)/bookings"))
        #expect(result.status == 201)
        #expect(server.connections == 1)
        #expect(server.requests.first?.headers["host"] == "127.0.0.1:\(server.port)")
        #expect(server.requests.first?.idempotencyKey == "egress-1")
    }

    @Test("an allowed name is connected to at its checked address and keeps its name in the Host header")
    func allowedName() async throws {
        let server = try HotelAPIServer()
        let transport = HTTPEffectTransport(
            policy: try EgressPolicy.allowing(["127.0.0.0/8", "::1/128"], plainHTTP: true))
        let result = await transport.perform(Self.request("http://localhost:\(server.port)/bookings"))
        #expect(result.status == 201, "\(result)")
        #expect(server.requests.first?.headers["host"] == "localhost:\(server.port)")
    }

    @Test("the pinned client connects to nothing but the checked addresses, whatever the URL says")
    func pinHolds() async throws {
        let server = try HotelAPIServer()
        let url = try EgressPolicy.allowing(["127.0.0.1/32"], plainHTTP: true).check(
            url: "http://127.0.0.1:\(server.port)/bookings")
        let exchange = await PinnedHTTPClient.send(
            PinnedHTTPRequest(method: "GET", url: url, addresses: [IPAddress("127.0.0.2")!], headers: [], body: nil),
            deadline: 5, maximumBytes: 1024)
        guard case .failed(let failure) = exchange else {
            Issue.record("expected a refused connection, got \(exchange)")
            return
        }
        #expect(failure.reason.contains("refused to connect to 127.0.0.1"))
        #expect(server.connections == 0)
    }

    @Test("a redirect is not followed: the 3xx is the answer and its target never sees a connection")
    func redirectNotFollowed() async throws {
        let target = try ScriptedHTTPServer(replies: [.json("{}")])
        let redirecting = try ScriptedHTTPServer(replies: [.redirect(location: "http://127.0.0.1:\(target.port)/")])
        let transport = HTTPEffectTransport(policy: try EgressPolicy.allowing(["127.0.0.1/32"], plainHTTP: true))
        let result = await transport.perform(Self.request("http://127.0.0.1:\(redirecting.port)/"))
        #expect(result.status == 302)
        #expect(target.connectionCount == 0)
    }

    @Test("the attempt's deadline holds on the pinned client")
    func deadline() async throws {
        let server = try ScriptedHTTPServer(replies: [.hang])
        let transport = HTTPEffectTransport(policy: try EgressPolicy.allowing(["127.0.0.1/32"], plainHTTP: true))
        var request = Self.request("http://127.0.0.1:\(server.port)/")
        request.timeoutMilliseconds = 300
        let result = await transport.perform(request)
        #expect(result == .timeout)
    }

    @Test("through the executor, a refusal is final: one attempt, no retry, an error without status")
    func refusalIsFinal() async throws {
        let server = try HotelAPIServer()
        let leases = InMemoryLeaseAuthority()
        let lease = leases.acquire("ticket-1")
        let sleeper = ManualClock()
        let executor = EffectExecutor(
            transport: HTTPEffectTransport(), leases: leases, sleeper: sleeper, clock: sleeper)
        let outcome = try await executor.execute(
            Self.request("http://127.0.0.1:\(server.port)/bookings"), policy: RetryPolicy(retries: 3),
            anchorFallback: false,
            lease: lease
        ) { _ in }
        #expect(outcome.kind == .error(status: nil))
        #expect(outcome.attempts.count == 1)
        guard case .refused(let reason) = outcome.attempts.first?.result else {
            Issue.record("expected a refused attempt, got \(outcome.attempts)")
            return
        }
        #expect(reason.contains("plain http"))
        #expect(sleeper.waits.isEmpty)
        #expect(server.connections == 0)
    }
}

/// Timeouts read back from a journal or passed by a library caller cannot trap the transport.
@Suite struct EgressDeadlineTests {
    @Test(
        "a negative, zero or huge timeout ends as an answer or a timeout, never a trap",
        arguments: [Int64.min, -1, 0, 1, Int64.max])
    func hostileTimeouts(_ milliseconds: Int64) async throws {
        let server = try HotelAPIServer()
        let transport = HTTPEffectTransport(policy: try EgressPolicy.allowing(["127.0.0.1/32"], plainHTTP: true))
        var request = EgressTransportTests.request("http://127.0.0.1:\(server.port)/bookings")
        request.timeoutMilliseconds = milliseconds
        let result = await transport.perform(request)
        #expect(result.status == 201 || result == .timeout || result.isUnreachable, "\(result)")
        // The next request is unaffected.
        let next = await transport.perform(EgressTransportTests.request("http://127.0.0.1:\(server.port)/bookings"))
        #expect(next.status == 200 || next.status == 201)
    }
}

/// HTTPS goes through TLS: a loopback server that speaks plain HTTP never sees a request it can read,
/// and the attempt ends without a response (no fallback to plain text).
@Suite struct EgressTLSTests {
    @Test("https to a server without TLS never becomes a plain-text exchange")
    func httpsNeedsTLS() async throws {
        let server = try HotelAPIServer()
        let transport = HTTPEffectTransport(policy: try EgressPolicy.allowing(["127.0.0.1/32"]))
        var request = EgressTransportTests.request("https://127.0.0.1:\(server.port)/bookings")
        request.timeoutMilliseconds = 1_000
        let result = await transport.perform(request)
        #expect(result.status == nil, "\(result)")
        #expect(result.isUnreachable)
        #expect(server.requests.isEmpty)
    }
}
