import Foundation

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers each request with a scripted reply.
///
/// For the answers a real node never gives: broken JSON, wrong ids, HTML error pages, silence. Plain
/// blocking sockets, one thread per connection, keep-alive like a real node; it counts connections and
/// requests and records each request, so tests can tell a retry from a reused connection.
public final class ScriptedHTTPServer: @unchecked Sendable {
    public enum Reply: Sendable {
        /// 200 with `application/json` and this body.
        case json(String)
        /// Any status, content type and body.
        case status(Int, contentType: String, body: String)
        /// Read the request and never answer (until the client gives up or the server stops).
        case hang
        /// Close the connection without answering.
        case close
        /// 200 JSON sent with `Transfer-Encoding: chunked`, so the client cannot know its length up front.
        case chunkedJSON(String)
    }

    public struct Request: Sendable {
        public var index: Int
        public var headers: [String: String]
        public var body: String
    }

    public let port: Int
    public var url: URL { URL(string: "http://127.0.0.1:\(port)/")! }
    private let state: State

    /// Replies from a closure of the request (its 0-based index and body).
    public init(_ respond: @escaping @Sendable (Request) -> Reply) throws {
        state = State(respond: respond)
        port = try state.listen()
    }

    /// The i-th request gets `replies[i]`; requests beyond the list get its last reply.
    public convenience init(replies: [Reply]) throws {
        try self.init { request in replies[min(request.index, replies.count - 1)] }
    }

    public var requestCount: Int { state.locked { $0.requests.count } }
    public var connectionCount: Int { state.locked { $0.connections } }
    public var requests: [Request] { state.locked { $0.requests } }

    deinit {
        state.stop()
    }

    /// A port on 127.0.0.1 where nothing listens, for "connection refused".
    public static func unusedPort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port: 0)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return boundPort(descriptor)
    }

    fileprivate static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    fileprivate static func boundPort(_ descriptor: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The server's threads hold this, not the server, so the server's deinit can stop them.
private final class State: @unchecked Sendable {
    struct Counters {
        var connections = 0
        var requests: [ScriptedHTTPServer.Request] = []
        var stopped = false
    }

    let respond: @Sendable (ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply
    private let lock = NSLock()
    private var counters = Counters()
    private let threads = DispatchGroup()
    private var listener: Int32 = -1

    init(respond: @escaping @Sendable (ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply) {
        self.respond = respond
    }

    func locked<T>(_ body: (inout Counters) -> T) -> T { lock.withLock { body(&counters) } }

    var isStopped: Bool { locked { $0.stopped } }

    func listen() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = ScriptedHTTPServer.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        listener = descriptor
        spawn { self.acceptLoop() }
        return ScriptedHTTPServer.boundPort(descriptor)
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

    /// Whether `descriptor` becomes readable within the next 20 ms (so the stop flag is checked often).
    private func readable(_ descriptor: Int32) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, 20) > 0
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
        while let (headers, body) = readRequest(client, &buffer) {
            let request = locked { counters -> ScriptedHTTPServer.Request in
                let request = ScriptedHTTPServer.Request(index: counters.requests.count, headers: headers, body: body)
                counters.requests.append(request)
                return request
            }
            switch respond(request) {
            case .json(let text):
                write(client, status: 200, contentType: "application/json", body: text)
            case .chunkedJSON(let text):
                let chunks = stride(from: 0, to: text.utf8.count, by: 1000).map { offset in
                    Array(text.utf8.dropFirst(offset).prefix(1000))
                }
                var bytes = Array(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                for chunk in chunks {
                    bytes += Array((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + [13, 10]
                }
                send(client, bytes + Array("0\r\n\r\n".utf8))
            case .status(let status, let contentType, let text):
                write(client, status: status, contentType: contentType, body: text)
            case .close:
                return
            case .hang:
                // Until the client hangs up (read returns 0) or the server stops.
                var scratch = [UInt8](repeating: 0, count: 512)
                while !isStopped {
                    if readable(client), read(client, &scratch, scratch.count) <= 0 { return }
                }
                return
            }
        }
    }

    /// The next request's lower-cased headers and body; nil when the client closed or the server stopped.
    private func readRequest(_ client: Int32, _ buffer: inout [UInt8]) -> ([String: String], String)? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headers: [String: String]?
        var headerEnd = 0
        var sentContinue = false
        while !isStopped {
            if headers == nil, let range = buffer.firstRange(of: separator) {
                headerEnd = range.upperBound
                headers = parseHeaders(String(decoding: buffer[..<range.lowerBound], as: UTF8.self))
            }
            if let headers {
                if headers["expect"]?.lowercased() == "100-continue", !sentContinue {
                    sentContinue = true
                    send(client, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                if buffer.count - headerEnd >= length {
                    let body = String(decoding: buffer[headerEnd..<headerEnd + length], as: UTF8.self)
                    buffer.removeFirst(headerEnd + length)
                    return (headers, body)
                }
            }
            guard readable(client) else { continue }
            let count = read(client, &chunk, chunk.count)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
        return nil
    }

    private func parseHeaders(_ text: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in text.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return headers
    }

    private func write(_ client: Int32, status: Int, contentType: String, body: String) {
        let bodyBytes = Array(body.utf8)
        let head =
            "HTTP/1.1 \(status) Scripted\r\nContent-Type: \(contentType)\r\nContent-Length: \(bodyBytes.count)\r\n\r\n"
        send(client, Array(head.utf8) + bodyBytes)
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
