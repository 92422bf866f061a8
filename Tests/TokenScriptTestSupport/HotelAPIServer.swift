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
    private let state: HotelState

    /// `behaviour(n)` decides the n-th (1-based) `POST /bookings`; `idempotencyHeader` names the key's header.
    public init(
        idempotencyHeader: String = "Idempotency-Key",
        behaviour: @escaping @Sendable (Int) -> Behaviour = { _ in .normal }
    ) throws {
        state = HotelState(idempotencyHeader: idempotencyHeader.lowercased(), behaviour: behaviour)
        port = try state.listen()
    }

    /// The n-th `POST /bookings` gets `script[n - 1]`; later ones behave normally.
    public convenience init(idempotencyHeader: String = "Idempotency-Key", script: [Behaviour]) throws {
        try self.init(idempotencyHeader: idempotencyHeader) { number in
            number <= script.count ? script[number - 1] : .normal
        }
    }

    /// TCP connections accepted so far.
    public var connections: Int { state.locked { $0.connections } }
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
        state.stop()
    }
}

/// The server's threads hold this, not the server, so the server's deinit can stop them.
private final class HotelState: @unchecked Sendable {
    struct Counters {
        var connections = 0
        var requests: [HotelAPIServer.Request] = []
        var bookingRequests = 0
        var bookings: [String: HotelAPIServer.Booking] = [:]
        var stopped = false
    }

    let idempotencyHeader: String
    let behaviour: @Sendable (Int) -> HotelAPIServer.Behaviour
    private let lock = NSLock()
    private var counters = Counters()
    private let threads = DispatchGroup()
    private var listener: Int32 = -1

    init(idempotencyHeader: String, behaviour: @escaping @Sendable (Int) -> HotelAPIServer.Behaviour) {
        self.idempotencyHeader = idempotencyHeader
        self.behaviour = behaviour
    }

    func locked<T>(_ body: (inout Counters) -> T) -> T { lock.withLock { body(&counters) } }

    var isStopped: Bool { locked { $0.stopped } }

    func listen() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        spawn { self.acceptLoop() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func stop() {
        locked { $0.stopped = true }
        threads.wait()
        close(listener)
    }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        threads.enter()
        Thread { [threads] in
            body()
            threads.leave()
        }.start()
    }

    /// Whether `descriptor` becomes readable within `milliseconds` (short, so the stop flag is checked often).
    private func readable(_ descriptor: Int32, milliseconds: Int32 = 20) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) > 0
    }

    private func acceptLoop() {
        while !isStopped {
            guard readable(listener) else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            var noDelay: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            locked { $0.connections += 1 }
            spawn { self.serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer: [UInt8] = []
        while let (requestLine, headers, body) = readRequest(client, &buffer) {
            let parts = requestLine.split(separator: " ")
            let method = parts.first.map(String.init) ?? ""
            let path = parts.count > 1 ? String(parts[1]) : ""
            let isBooking = method == "POST" && path == "/bookings"
            let key = headers[idempotencyHeader]
            let request = locked { counters -> HotelAPIServer.Request in
                var number = 0
                if isBooking {
                    counters.bookingRequests += 1
                    number = counters.bookingRequests
                }
                let request = HotelAPIServer.Request(
                    bookingRequestNumber: number, method: method, path: path, headers: headers, body: body,
                    idempotencyKey: key)
                counters.requests.append(request)
                return request
            }
            if method == "GET" && path == "/bookings/count" {
                let count = locked { $0.bookings.count }
                write(client, status: 200, json: ["count": count])
                continue
            }
            guard isBooking else {
                write(client, status: 404, json: ["error": "no route \(method) \(path)"])
                continue
            }
            switch behaviour(request.bookingRequestNumber) {
            case .normal:
                book(client, key: key, body: body)
            case .delay(let seconds):
                // Until the delay ends, the client hangs up or the server stops.
                let deadline = Date().addingTimeInterval(seconds)
                var scratch = [UInt8](repeating: 0, count: 512)
                while Date() < deadline {
                    if isStopped { return }
                    if readable(client), read(client, &scratch, scratch.count) <= 0 { return }
                }
                book(client, key: key, body: body)
            case .status(let status):
                write(client, status: status, json: ["error": "scripted status \(status)"])
            case .close:
                return
            }
        }
    }

    private func book(_ client: Int32, key: String?, body: String) {
        guard let key, !key.isEmpty else {
            write(client, status: 400, json: ["error": "missing \(idempotencyHeader) header"])
            return
        }
        guard let details = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            write(client, status: 400, json: ["error": "body is not a JSON object"])
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
            write(client, status: 422, json: ["error": "idempotency key \(key) was used with another body"])
            return
        }
        write(
            client, status: created ? 201 : 200,
            json: ["id": booking.id, "idempotencyKey": key, "booking": details, "created": created])
    }

    /// The next request's line, lower-cased headers and body; nil when the client closed or the server stopped.
    private func readRequest(_ client: Int32, _ buffer: inout [UInt8]) -> (String, [String: String], String)? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var chunk = [UInt8](repeating: 0, count: 65536)
        var head: (String, [String: String])?
        var headerEnd = 0
        var sentContinue = false
        while !isStopped {
            if head == nil, let range = buffer.firstRange(of: separator) {
                headerEnd = range.upperBound
                head = parseHead(String(decoding: buffer[..<range.lowerBound], as: UTF8.self))
            }
            if let (line, headers) = head {
                if headers["expect"]?.lowercased() == "100-continue", !sentContinue {
                    sentContinue = true
                    send(client, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                if buffer.count - headerEnd >= length {
                    let body = String(decoding: buffer[headerEnd..<headerEnd + length], as: UTF8.self)
                    buffer.removeFirst(headerEnd + length)
                    return (line, headers, body)
                }
            }
            guard readable(client) else { continue }
            let count = read(client, &chunk, chunk.count)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
        return nil
    }

    private func parseHead(_ text: String) -> (String, [String: String]) {
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return (lines.first.map(String.init) ?? "", headers)
    }

    private func write(_ client: Int32, status: Int, json: [String: Any]) {
        let body = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data("{}".utf8)
        let head =
            "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n\r\n"
        send(client, Array(head.utf8) + Array(body))
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

    private func send(_ client: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { return }
            offset += written
        }
    }
}
