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
        /// `302 Found` to `location`, with an empty body.
        case redirect(location: String)
    }

    public struct Request: Sendable {
        public var index: Int
        public var headers: [String: String]
        public var body: String
    }

    public let port: Int
    public var url: URL { URL(string: "http://127.0.0.1:\(port)/")! }
    private let server: LoopbackHTTPServer
    private let log: RequestLog

    /// Replies from a closure of the request (its 0-based index and body).
    public init(_ respond: @escaping @Sendable (Request) -> Reply) throws {
        let log = RequestLog()
        self.log = log
        server = try LoopbackHTTPServer { incoming, connection in
            let request = log.append(headers: incoming.headers, body: incoming.body)
            switch respond(request) {
            case .json(let text):
                connection.write(
                    status: 200, reason: "Scripted", contentType: "application/json", body: Array(text.utf8))
            case .chunkedJSON(let text):
                var bytes = Array(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                for offset in stride(from: 0, to: text.utf8.count, by: 1000) {
                    let chunk = Array(text.utf8.dropFirst(offset).prefix(1000))
                    bytes += Array((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + [13, 10]
                }
                connection.send(bytes + Array("0\r\n\r\n".utf8))
            case .status(let status, let contentType, let text):
                connection.write(status: status, reason: "Scripted", contentType: contentType, body: Array(text.utf8))
            case .redirect(let location):
                connection.send(Array("HTTP/1.1 302 Found\r\nLocation: \(location)\r\nContent-Length: 0\r\n\r\n".utf8))
            case .close:
                return .close
            case .hang:
                // Until the client hangs up or the server stops.
                _ = connection.waitForHangUp(until: nil)
                return .close
            }
            return .keepAlive
        }
        port = server.port
    }

    /// The i-th request gets `replies[i]`; requests beyond the list get its last reply.
    public convenience init(replies: [Reply]) throws {
        try self.init { request in replies[min(request.index, replies.count - 1)] }
    }

    public var requestCount: Int { log.requests.count }
    public var connectionCount: Int { server.connections }
    public var requests: [Request] { log.requests }

    deinit {
        server.stop()
    }

    /// A port on 127.0.0.1 where nothing listens, for "connection refused".
    public static func unusedPort() -> Int { LoopbackHTTPServer.unusedPort() }
}

/// The requests seen so far, numbered in arrival order; the handler holds this, not the server.
private final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [ScriptedHTTPServer.Request] = []

    var requests: [ScriptedHTTPServer.Request] { lock.withLock { recorded } }

    func append(headers: [String: String], body: String) -> ScriptedHTTPServer.Request {
        lock.withLock {
            let request = ScriptedHTTPServer.Request(index: recorded.count, headers: headers, body: body)
            recorded.append(request)
            return request
        }
    }
}
