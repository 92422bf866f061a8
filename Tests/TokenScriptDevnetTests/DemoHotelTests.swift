import Foundation
import Logging
import Testing
import TokenScriptDemo

/// The demo hotel over real HTTP on 127.0.0.1: one booking per idempotency key, whatever the repeats, the
/// concurrency and the injected timeouts.
@Suite("the demo hotel API")
struct DemoHotelTests {
    static let body = "{\"flight\":\"LH400\",\"nights\":1,\"reason\":\"flight-delay\"}"

    static func withHotel(_ run: (DemoHotel, String) async throws -> Void) async throws {
        let hotel = DemoHotel()
        let server = try await DemoServer.start(
            DemoHotelRouter.router(hotel), name: "demo-hotel", logger: Logger(label: "test.hotel"))
        do {
            try await run(hotel, server.url)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func book(_ url: String, key: String, body: String = body, deadline: Double = 10) async
        -> TestHTTP.Answer
    {
        await TestHTTP.send(
            "POST", url + "/rebookings", body: body, headers: ["Idempotency-Key": key], deadline: deadline)
    }

    @Test("repeated calls with one key make one booking: 201 first, then 200 with the same booking")
    func repeatsBookOnce() async throws {
        try await Self.withHotel { hotel, url in
            let first = await Self.book(url, key: "rebook-LH400-1790050000")
            #expect(first.status == 201)
            #expect(first.body.contains("\"booking\":\"H-1\""))
            for _ in 0..<4 {
                let again = await Self.book(url, key: "rebook-LH400-1790050000")
                #expect(again.status == 200)
                #expect(again.body == first.body)
            }
            // Member order and spacing do not make another request.
            let reordered = await Self.book(
                url, key: "rebook-LH400-1790050000",
                body: "{ \"reason\": \"flight-delay\", \"nights\": 1, \"flight\": \"LH400\" }")
            #expect(reordered.status == 200)
            let other = await Self.book(url, key: "rebook-LH401-1790050000")
            #expect(other.status == 201)
            #expect(other.body.contains("\"booking\":\"H-2\""))
            #expect(await hotel.bookingCount == 2)
            #expect(await hotel.callCount == 7)
            let stats = await TestHTTP.send("GET", url + "/stats")
            #expect(stats.status == 200)
            #expect(stats.body.contains("\"bookings\":2"))
            #expect(stats.body.contains("{\"booking\":\"H-1\",\"calls\":6,\"key\":\"rebook-LH400-1790050000\"}"))
        }
    }

    @Test("calls that time out at the client, then a retry: exactly one booking for the key")
    func injectedTimeoutsThenRetry() async throws {
        try await Self.withHotel { hotel, url in
            await hotel.inject(.init(fault: .timeout(seconds: 1.5), calls: 2), forKey: "k-timeout")
            let first = await Self.book(url, key: "k-timeout", deadline: 0.3)
            let second = await Self.book(url, key: "k-timeout", deadline: 0.3)
            #expect(first.timedOut && second.timedOut)
            let third = await Self.book(url, key: "k-timeout")
            #expect(third.status == 201)
            #expect(await hotel.booking(forKey: "k-timeout")?.id == "H-1")
            #expect(await hotel.bookingCount == 1)
            #expect(await hotel.keyStats == [.init(key: "k-timeout", calls: 3, booking: "H-1")])
        }
    }

    @Test("a booking whose answer was lost (slow) is found again by the retry, not made twice")
    func slowAnswerThenRetry() async throws {
        try await Self.withHotel { hotel, url in
            await hotel.inject(.init(fault: .slow(seconds: 1.5), calls: 1), forKey: nil)
            let lost = await Self.book(url, key: "k-slow", deadline: 0.3)
            #expect(lost.timedOut)
            let retry = await Self.book(url, key: "k-slow")
            #expect(retry.status == 200)
            #expect(retry.body.contains("\"booking\":\"H-1\""))
            #expect(await hotel.bookingCount == 1)
        }
    }

    @Test("twenty concurrent calls with one key: one 201, one booking")
    func concurrentCallsBookOnce() async throws {
        try await Self.withHotel { hotel, url in
            let statuses = await withTaskGroup(of: Int?.self) { group in
                for _ in 0..<20 { group.addTask { await Self.book(url, key: "k-race").status } }
                return await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 200 }.count == 19)
            #expect(await hotel.bookingCount == 1)
        }
    }

    @Test("an injected 503 for the first call, set over POST /faults, then the booking")
    func injectedStatusOverHTTP() async throws {
        try await Self.withHotel { hotel, url in
            let set = await TestHTTP.send(
                "POST", url + "/faults", body: "{\"key\":\"k-503\",\"calls\":1,\"fault\":\"status\",\"status\":503}")
            #expect(set.status == 200)
            #expect(await Self.book(url, key: "k-503").status == 503)
            #expect(await hotel.bookingCount == 0)
            #expect(await Self.book(url, key: "k-503").status == 201)
            #expect(await hotel.bookingCount == 1)
        }
    }

    @Test("bad requests are refused naming the field, and book nothing")
    func badRequestsBookNothing() async throws {
        try await Self.withHotel { hotel, url in
            let noKey = await TestHTTP.send("POST", url + "/rebookings", body: Self.body)
            #expect(noKey.status == 400)
            #expect(noKey.body.contains("\"field\":\"Idempotency-Key\""))
            let notObject = await Self.book(url, key: "k-bad", body: "[1,2]")
            #expect(notObject.status == 400)
            #expect(notObject.body.contains("\"field\":\"body\""))
            let malformed = await Self.book(url, key: "k-bad", body: "{\"flight\":")
            #expect(malformed.status == 400)
            #expect(malformed.body.contains("malformed-json"))
            #expect(await hotel.bookingCount == 0)
            #expect(await Self.book(url, key: "k-used").status == 201)
            let reused = await Self.book(url, key: "k-used", body: "{\"flight\":\"LH401\",\"nights\":1}")
            #expect(reused.status == 422)
            #expect(reused.body.contains("idempotency-key-reused"))
            let badFault = await TestHTTP.send("POST", url + "/faults", body: "{\"calls\":1,\"fault\":\"timeout\"}")
            #expect(badFault.status == 400)
            #expect(badFault.body.contains("\"field\":\"seconds\""))
            let unknownField = await TestHTTP.send(
                "POST", url + "/faults", body: "{\"calls\":1,\"fault\":\"status\",\"status\":503,\"kee\":\"x\"}")
            #expect(unknownField.status == 400)
            #expect(unknownField.body.contains("\"field\":\"kee\""))
            #expect(await hotel.bookingCount == 1)
        }
    }
}
