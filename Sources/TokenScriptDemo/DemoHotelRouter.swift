import Hummingbird
import TokenScriptJSON

/// The demo hotel on HTTP.
///
/// - `POST /rebookings` (the flight ticket's `rebookHotel`) and `POST /bookings`: a JSON object body and an
///   `Idempotency-Key` header; 201 with `{"status":"ok","booking","idempotencyKey","request"}` for the call that
///   booked, 200 with the same booking for a repeat, 422 when a used key comes with another body, 400 without a
///   key or with a body that is not a JSON object; injected faults answer as `DemoHotel.Fault` says.
/// - `GET /stats`: `{"status":"ok","bookings","calls","keys":[{"key","calls","booking"?}]}`.
/// - `POST /faults`: `{"key"?, "calls", "fault": "timeout"|"slow"|"status", "seconds"?, "status"?}` sets a
///   fault plan (for every key without its own when `key` is absent), so the demo and a curl user can make
///   the hotel time out.
public enum DemoHotelRouter {
    public static func router(_ hotel: DemoHotel) -> Router<BasicRequestContext> {
        let router = Router()
        for path in ["/rebookings", "/bookings"] {
            router.post(RouterPath(path)) { request, _ in await book(request, hotel: hotel) }
        }
        router.get("/stats") { _, _ in await stats(hotel) }
        router.post("/faults") { request, _ in await injectFault(request, hotel: hotel) }
        router.get("/health") { _, _ in DemoResponses.json(["status": "ok", "name": "demo-hotel"]) }
        return router
    }

    static func book(_ request: Request, hotel: DemoHotel) async -> Response {
        let key = request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value ?? ""
        guard !key.isEmpty else {
            return DemoResponses.error(
                "missing-idempotency-key", "a booking needs an Idempotency-Key header", field: "Idempotency-Key",
                status: .badRequest)
        }
        let body: JSONValue
        do { body = try await DemoResponses.body(request) } catch {
            return DemoResponses.error(
                "malformed-json", "the body is not JSON: \(error)", field: "body", status: .badRequest)
        }
        guard body.objectValue != nil else {
            return DemoResponses.error(
                "invalid-field", "the body must be a JSON object, not \(body.kind)", field: "body", status: .badRequest)
        }
        switch await hotel.call(key: key, request: body) {
        case .refused(let status, let code, let message, let delay):
            await pause(delay)
            return DemoResponses.error(code, message, status: .init(code: status))
        case .booked(let booking, let created, let delay):
            await pause(delay)
            let answer: JSONValue = .object([
                "status": "ok", "booking": .string(booking.id), "idempotencyKey": .string(booking.idempotencyKey),
                "request": booking.request,
            ])
            return DemoResponses.json(answer, status: created ? .created : .ok)
        }
    }

    static func stats(_ hotel: DemoHotel) async -> Response {
        let keys: [JSONValue] = await hotel.keyStats.map { stats in
            var entry: [String: JSONValue] = ["key": .string(stats.key), "calls": .integer(Int64(stats.calls))]
            if let booking = stats.booking { entry["booking"] = .string(booking) }
            return .object(entry)
        }
        return DemoResponses.json(
            .object([
                "status": "ok", "bookings": .integer(Int64(await hotel.bookingCount)),
                "calls": .integer(Int64(await hotel.callCount)), "keys": .array(keys),
            ]))
    }

    static func injectFault(_ request: Request, hotel: DemoHotel) async -> Response {
        let body: JSONValue
        do { body = try await DemoResponses.body(request) } catch {
            return DemoResponses.error(
                "malformed-json", "the body is not JSON: \(error)", field: "body", status: .badRequest)
        }
        do {
            let (plan, key) = try DemoHotelFaultRequest.read(body)
            await hotel.inject(plan, forKey: key)
            return DemoResponses.json(["status": "ok"])
        } catch {
            return DemoResponses.error("invalid-field", error.message, field: error.field, status: .badRequest)
        }
    }

    /// Sleeps `seconds` unless the connection's task is cancelled (the server shutting down).
    static func pause(_ seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
    }
}
