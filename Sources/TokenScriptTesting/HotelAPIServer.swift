import Foundation

/// A small hotel-booking API on 127.0.0.1 (a free port), for effect tests against a real HTTP/1.1 server.
///
/// `POST /bookings` with a JSON object body books once per idempotency key: the first request with a key
/// creates a booking and answers `201` with it; later ones with the same key and body answer `200` with
/// the same booking and create nothing (a different body under a used key gets `422`; no key gets `400`).
/// `GET /bookings/count` answers `{"count": N}`. Each `POST /bookings` is numbered (1-based) and may be
/// given a scripted behaviour (slow, `503`, `500`, `429`, `400`, hang up) so tests can write "fails twice,
/// then succeeds". Plain blocking sockets, a thread per connection, keep-alive; counts connections for
/// tests that must prove nothing connected. Stopped in deinit.
public final class HotelAPIServer: @unchecked Sendable {
    public enum Behaviour: Sendable, Hashable {
        /// Book (or find the booking) and answer.
        case normal
        /// Wait this long (beyond the client's timeout), then behave normally if the client is still there.
        case delay(seconds: Double)
        /// Answer with this status and a JSON error body, booking nothing.
        case status(Int)
        /// Close the connection without answering, booking nothing.
        case close
    }

    /// A recorded request.
    public struct Request: Sendable {
        /// 1-based among `POST /bookings` requests; 0 for other requests.
        public var bookingRequestNumber: Int
        public var method: String
        public var path: String
        /// Lower-cased names.
        public var headers: [String: String]
        public var body: String
        public var idempotencyKey: String?
    }

    public struct Booking: Sendable, Hashable {
        public var id: String
        public var idempotencyKey: String
        /// The body of the request that created it.
        public var body: String
    }

    public let port: Int
    /// `http://127.0.0.1:<port>` (no trailing slash).
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    public var bookingsURL: URL { baseURL.appendingPathComponent("bookings") }
    private let server: LoopbackHTTPServer
    private let state: HotelState

    /// `behaviour(n)` decides the n-th (1-based) `POST /bookings`; `idempotencyHeader` names the key's header.
    public init(
        idempotencyHeader: String = "Idempotency-Key",
        behaviour: @escaping @Sendable (Int) -> Behaviour = { _ in .normal }
    ) throws {
        let state = HotelState(idempotencyHeader: idempotencyHeader.lowercased(), behaviour: behaviour)
        self.state = state
        server = try LoopbackHTTPServer { request, connection in state.handle(request, on: connection) }
        port = server.port
    }

    /// The n-th `POST /bookings` gets `script[n - 1]`; later ones behave normally.
    public convenience init(idempotencyHeader: String = "Idempotency-Key", script: [Behaviour]) throws {
        try self.init(idempotencyHeader: idempotencyHeader) { number in
            number <= script.count ? script[number - 1] : .normal
        }
    }

    /// TCP connections accepted so far.
    public var connections: Int { server.connections }
    /// Every request read so far, in order.
    public var requests: [Request] { state.locked { $0.requests } }
    /// The `POST /bookings` requests read so far.
    public var bookingRequests: [Request] { requests.filter { $0.bookingRequestNumber > 0 } }
    /// Distinct bookings made (one per idempotency key).
    public var bookingCount: Int { state.locked { $0.bookings.count } }
    public var bookings: [Booking] { state.locked { $0.bookings.values.sorted { $0.id < $1.id } } }
    /// How many requests arrived with `key` (booking or not).
    public func requestCount(forKey key: String) -> Int { requests.filter { $0.idempotencyKey == key }.count }

    deinit {
        server.stop()
    }
}

/// The bookings and the request log; the connection threads hold this, not the server.
private final class HotelState: @unchecked Sendable {
    struct Counters {
        var requests: [HotelAPIServer.Request] = []
        var bookingRequests = 0
        var bookings: [String: HotelAPIServer.Booking] = [:]
    }

    let idempotencyHeader: String
    let behaviour: @Sendable (Int) -> HotelAPIServer.Behaviour
    private let lock = NSLock()
    private var counters = Counters()

    init(idempotencyHeader: String, behaviour: @escaping @Sendable (Int) -> HotelAPIServer.Behaviour) {
        self.idempotencyHeader = idempotencyHeader
        self.behaviour = behaviour
    }

    func locked<T>(_ body: (inout Counters) -> T) -> T { lock.withLock { body(&counters) } }

    func handle(_ incoming: LoopbackHTTPServer.Request, on connection: LoopbackHTTPServer.Connection)
        -> LoopbackHTTPServer.Next
    {
        let isBooking = incoming.method == "POST" && incoming.path == "/bookings"
        let key = incoming.headers[idempotencyHeader]
        let request = locked { counters -> HotelAPIServer.Request in
            var number = 0
            if isBooking {
                counters.bookingRequests += 1
                number = counters.bookingRequests
            }
            let request = HotelAPIServer.Request(
                bookingRequestNumber: number, method: incoming.method, path: incoming.path, headers: incoming.headers,
                body: incoming.body, idempotencyKey: key)
            counters.requests.append(request)
            return request
        }
        if incoming.method == "GET" && incoming.path == "/bookings/count" {
            write(connection, status: 200, json: ["count": locked { $0.bookings.count }])
            return .keepAlive
        }
        guard isBooking else {
            write(connection, status: 404, json: ["error": "no route \(incoming.method) \(incoming.path)"])
            return .keepAlive
        }
        switch behaviour(request.bookingRequestNumber) {
        case .normal:
            book(connection, key: key, body: incoming.body)
        case .delay(let seconds):
            // Until the delay ends, the client hangs up or the server stops.
            if connection.waitForHangUp(until: Date().addingTimeInterval(seconds)) { return .close }
            book(connection, key: key, body: incoming.body)
        case .status(let status):
            write(connection, status: status, json: ["error": "scripted status \(status)"])
        case .close:
            return .close
        }
        return .keepAlive
    }

    private func book(_ connection: LoopbackHTTPServer.Connection, key: String?, body: String) {
        guard let key, !key.isEmpty else {
            write(connection, status: 400, json: ["error": "missing \(idempotencyHeader) header"])
            return
        }
        guard let details = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            write(connection, status: 400, json: ["error": "body is not a JSON object"])
            return
        }
        let (booking, created, conflict) = locked { counters -> (HotelAPIServer.Booking, Bool, Bool) in
            if let existing = counters.bookings[key] { return (existing, false, existing.body != body) }
            let booking = HotelAPIServer.Booking(
                id: "booking-\(counters.bookings.count + 1)", idempotencyKey: key, body: body)
            counters.bookings[key] = booking
            return (booking, true, false)
        }
        if conflict {
            write(connection, status: 422, json: ["error": "idempotency key \(key) was used with another body"])
            return
        }
        write(
            connection, status: created ? 201 : 200,
            json: ["id": booking.id, "idempotencyKey": key, "booking": details, "created": created])
    }

    private func write(_ connection: LoopbackHTTPServer.Connection, status: Int, json: [String: Any]) {
        let body = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data("{}".utf8)
        connection.write(
            status: status, reason: Self.reason(status), contentType: "application/json", body: Array(body))
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
