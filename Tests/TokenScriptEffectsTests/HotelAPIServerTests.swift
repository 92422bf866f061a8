import Foundation
import Testing
import TokenScriptEffects
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptTesting

/// The hotel API itself, through the effect transport.
@Suite struct HotelAPIServerTests {
    func request(
        _ server: HotelAPIServer, key: String, body: String, method: String = "POST", path: String = "bookings"
    )
        -> BuiltEffectRequest
    {
        BuiltEffectRequest(
            effect: "bookHotel", requestID: "t/1/bookHotel/1", method: method,
            url: server.baseURL.appendingPathComponent(path).absoluteString,
            headers: ["Content-Type": "application/json"], body: body.isEmpty ? nil : body, timeoutMilliseconds: 5_000,
            idempotencyKey: key, idempotencyHeader: "Idempotency-Key")
    }

    @Test func countsBookingsPerIdempotencyKey() async throws {
        let server = try HotelAPIServer()
        let transport = HTTPEffectTransport(policy: .testLoopback)
        #expect(server.connections == 0)
        let a1 = await transport.perform(request(server, key: "a", body: #"{"nights":1}"#))
        let a2 = await transport.perform(request(server, key: "a", body: #"{"nights":1}"#))
        let b = await transport.perform(request(server, key: "b", body: #"{"nights":3}"#))
        let conflict = await transport.perform(request(server, key: "a", body: #"{"nights":9}"#))
        let notJSON = await transport.perform(request(server, key: "c", body: "nights=2"))
        #expect(a1.status == 201)
        #expect(a2.status == 200)
        #expect(a1.body.flatMap { String(decoding: $0, as: UTF8.self) }?.contains("booking-1") == true)
        #expect(a2.body.flatMap { String(decoding: $0, as: UTF8.self) }?.contains("booking-1") == true)
        #expect(b.status == 201)
        #expect(conflict.status == 422)
        #expect(notJSON.status == 400)
        let count = await transport.perform(request(server, key: "x", body: "", method: "GET", path: "bookings/count"))
        #expect(count == .success(status: 200, body: Data(#"{"count":2}"#.utf8)))
        #expect(server.bookingCount == 2)
        #expect(server.requestCount(forKey: "a") == 3)
        #expect(server.connections >= 1)
    }

    @Test func oversizedResponsesAreCapped() async throws {
        let server = try HotelAPIServer()
        let transport = HTTPEffectTransport(policy: .testLoopback, maximumResponseBytes: 16)
        let result = await transport.perform(request(server, key: "a", body: #"{"nights":1}"#))
        guard case .connectionFailed(let message) = result else {
            Issue.record("expected a capped response, got \(result)")
            return
        }
        #expect(message.contains("16-byte cap"))
    }
}

extension EgressPolicy {
    /// What the tests' loopback servers need: plain http to 127.0.0.1.
    static let testLoopback = try! EgressPolicy.allowing(["127.0.0.1/32"], plainHTTP: true)
}
