import Foundation

/// The plain HTTP/1.1 machinery both test servers share: a listener on 127.0.0.1 at a free port, a thread
/// per connection, keep-alive, `Content-Length` bodies, `100-continue`, and a stop flag checked every 20 ms.
///
/// The handler sees each request with its connection and says whether to keep the connection open.
/// Threads hold this object, not the public server wrapping it, so the wrapper's deinit can `stop()` them.
final class LoopbackHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        /// Lower-cased names.
        var headers: [String: String]
        var body: String
    }

    /// One client, for answering the request being handled.
    struct Connection {
        fileprivate let descriptor: Int32
        fileprivate let server: LoopbackHTTPServer

        func send(_ bytes: [UInt8]) { LoopbackHTTPServer.send(descriptor, bytes) }

        func write(status: Int, reason: String, contentType: String, body: [UInt8]) {
            let head =
                "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\r\n"
            send(Array(head.utf8) + body)
        }

        /// Waits until `deadline` (nil: for ever); true when the client hung up or the server stopped first.
        func waitForHangUp(until deadline: Date?) -> Bool {
            var scratch = [UInt8](repeating: 0, count: 512)
            while deadline.map({ Date() < $0 }) ?? true {
                if server.isStopped { return true }
                if server.readable(descriptor), read(descriptor, &scratch, scratch.count) <= 0 { return true }
            }
            return false
        }
    }

    enum Next {
        case keepAlive
        case close
    }

    private let handler: @Sendable (Request, Connection) -> Next
    private let lock = NSLock()
    private var stopped = false
    private var acceptedConnections = 0
    private let threads = DispatchGroup()
    private var listener: Int32 = -1
    private(set) var port = 0

    init(handler: @escaping @Sendable (Request, Connection) -> Next) throws {
        self.handler = handler
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
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
        port = Self.boundPort(descriptor)
        spawn { self.acceptLoop() }
    }

    var isStopped: Bool { lock.withLock { stopped } }
    /// TCP connections accepted so far.
    var connections: Int { lock.withLock { acceptedConnections } }

    func stop() {
        lock.withLock { stopped = true }
        threads.wait()
        close(listener)
    }

    /// A port on 127.0.0.1 where nothing listens, for "connection refused": one below the kernel's ephemeral
    /// range (32768 up), checked free by binding it. A port from `bind(0)` would be handed straight back to the
    /// next server or outgoing connection another test starts, and the "refused" call would reach it.
    static func unusedPort() -> Int {
        var candidate = 20_000 + Int(UInt32.random(in: 0..<10_000))
        for _ in 0..<10_000 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = loopback(port: UInt16(candidate))
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(descriptor)
            if bound == 0 { return candidate }
            candidate = candidate == 29_999 ? 20_000 : candidate + 1
        }
        return 1  // tcpmux: nothing listens there either
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func boundPort(_ descriptor: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        threads.enter()
        Thread { [threads] in
            body()
            threads.leave()
        }.start()
    }

    /// Whether `descriptor` becomes readable within 20 ms (short, so the stop flag is checked often).
    fileprivate func readable(_ descriptor: Int32) -> Bool {
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
            lock.withLock { acceptedConnections += 1 }
            spawn { self.serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer: [UInt8] = []
        let connection = Connection(descriptor: client, server: self)
        while let request = readRequest(client, &buffer) {
            if handler(request, connection) == .close { return }
        }
    }

    /// The next request; nil when the client closed or the server stopped.
    private func readRequest(_ client: Int32, _ buffer: inout [UInt8]) -> Request? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var chunk = [UInt8](repeating: 0, count: 65536)
        var head: (line: String, headers: [String: String])?
        var headerEnd = 0
        var sentContinue = false
        while !isStopped {
            if head == nil, let range = buffer.firstRange(of: separator) {
                headerEnd = range.upperBound
                head = Self.parseHead(String(decoding: buffer[..<range.lowerBound], as: UTF8.self))
            }
            if let (line, headers) = head {
                if headers["expect"]?.lowercased() == "100-continue", !sentContinue {
                    sentContinue = true
                    Self.send(client, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                if buffer.count - headerEnd >= length {
                    let body = String(decoding: buffer[headerEnd..<headerEnd + length], as: UTF8.self)
                    buffer.removeFirst(headerEnd + length)
                    let parts = line.split(separator: " ")
                    return Request(
                        method: parts.first.map(String.init) ?? "", path: parts.count > 1 ? String(parts[1]) : "",
                        headers: headers, body: body)
                }
            }
            guard readable(client) else { continue }
            let count = read(client, &chunk, chunk.count)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
        return nil
    }

    private static func parseHead(_ text: String) -> (line: String, headers: [String: String]) {
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return (lines.first.map(String.init) ?? "", headers)
    }

    fileprivate static func send(_ client: Int32, _ bytes: [UInt8]) {
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
