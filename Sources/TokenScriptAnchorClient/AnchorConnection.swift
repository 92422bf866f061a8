import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import TokenScriptAttestation

/// One node's way to the anchoring layer: every request signed with the node's key (`NodeRequestSigner`),
/// JSON both ways, an anchor error turned back into the cluster protocol's typed error where there is one.
///
/// A network may run several anchoring nodes on one shared store (PostgreSQL): any of them answers any request.
/// Requests go to the anchor that answered last; one that cannot be reached (no connection, a timeout) is
/// tried on the next, each once, before the request fails as `unreachable`. Only transport failures move on:
/// an anchor's answer, even a refusal, is the network's answer.
public final class AnchorConnection: Sendable {
    /// Every anchor's `http://HOST:PORT`, without trailing slashes, in the order given.
    public let anchorURLs: [String]
    /// The anchor requests go to now (the last that answered).
    public var anchorURL: String { anchorURLs[preferred.withLock { $0 }] }
    private let preferred = Mutex(0)
    public let signer: NodeRequestSigner
    /// How long one request may take.
    public let timeout: TimeAmount
    let client: HTTPClient
    let now: @Sendable () -> UInt64
    /// Answers larger than this are refused (a log page, a member list).
    static let maximumAnswerBytes = 16 << 20

    /// The pool requests go through. Connecting gives up after 3 s (AsyncHTTPClient retries a refused connection
    /// until then), so a request to an anchor that is down moves on to the next anchor within 3 s, not at its 10 s
    /// deadline. That bound is also how long a request may wait for a free connection, so the pool keeps up to 64
    /// per anchor: a node asks its anchor many things at once (appends, elections, reads for every instance).
    public static let requestClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            timeout: .init(connect: .seconds(3)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))

    /// The pool log streams are opened on. A node keeps one stream open per instance it follows; on the request
    /// pool (8 connections per host) the ninth instance's stream would leave no connection for requests, and
    /// every append, election and heartbeat would wait until its deadline.
    static let streamingClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            timeout: .init(connect: .seconds(3)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 100_000)))

    /// - Parameter now: Unix seconds the requests are dated with (the wall clock unless a test injects one).
    public convenience init(
        anchorURL: String, signer: NodeRequestSigner, client: HTTPClient = requestClient,
        timeout: TimeAmount = .seconds(10),
        now: @escaping @Sendable () -> UInt64 = { UInt64(max(0, Date().timeIntervalSince1970)) }
    ) {
        self.init(anchorURLs: [anchorURL], signer: signer, client: client, timeout: timeout, now: now)
    }

    /// - Parameter anchorURLs: the anchors of one network, at least one; requests fail over between them.
    public init(
        anchorURLs: [String], signer: NodeRequestSigner, client: HTTPClient = requestClient,
        timeout: TimeAmount = .seconds(10),
        now: @escaping @Sendable () -> UInt64 = { UInt64(max(0, Date().timeIntervalSince1970)) }
    ) {
        precondition(!anchorURLs.isEmpty, "an anchor connection needs an anchor")
        self.anchorURLs = anchorURLs.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.signer = signer
        self.client = client
        self.timeout = timeout
        self.now = now
    }

    /// `text` escaped as one path segment (a topic `order/x` becomes `order%2Fx`).
    public static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Sends a signed request and decodes the answer.
    /// - Throws: the typed cluster error the anchor reported (`StaleLeaseError`, `ElectionError`,
    ///   `AttestationLogError`), else `AnchorClientError`.
    func send<Answer: Decodable>(_ method: HTTPMethod, _ target: String, as answer: Answer.Type) async throws
        -> Answer
    {
        try await send(method, target, body: String?.none, as: answer)
    }

    /// Sends a signed request with `body` as JSON and decodes the answer, trying each anchor once from the
    /// preferred one on while they cannot be reached.
    func send<Answer: Decodable>(
        _ method: HTTPMethod, _ target: String, body: (some Encodable)?, as: Answer.Type
    ) async throws -> Answer {
        let first = preferred.withLock { $0 }
        var failures: [String] = []
        var found: HTTPClientResponse?
        for offset in anchorURLs.indices {
            let index = (first + offset) % anchorURLs.count
            // Signed again for each anchor: every request carries a fresh nonce.
            let request = try signedRequest(method, target, body: body, anchor: index)
            do {
                found = try await client.execute(request, timeout: timeout)
                answered(index)
                break
            } catch {
                failures.append("\(anchorURLs[index])\(target): \(error)")
            }
        }
        guard let response = found else {
            throw AnchorClientError(status: 0, code: "unreachable", message: failures.joined(separator: "; "))
        }
        let bytes = try await response.body.collect(upTo: Self.maximumAnswerBytes)
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(response.status.code) else { throw Self.failure(response.status.code, data) }
        do { return try JSONDecoder().decode(Answer.self, from: data) } catch {
            throw AnchorClientError(
                status: Int(response.status.code), code: "bad-answer", message: "\(method) \(target): \(error)")
        }
    }

    /// Makes the anchor at `index` the preferred one (it answered).
    func answered(_ index: Int) { preferred.withLock { $0 = index } }

    /// Moves the preference past the anchor at `index` (it could not be reached), unless it moved already.
    func unreachable(_ index: Int) {
        preferred.withLock { if $0 == index { $0 = (index + 1) % anchorURLs.count } }
    }

    /// The index of the preferred anchor.
    var preferredIndex: Int { preferred.withLock { $0 } }

    /// A connection to the anchor at `index` alone (heartbeats go to every anchor: each judges health itself).
    public func only(_ index: Int) -> AnchorConnection {
        AnchorConnection(anchorURLs: [anchorURLs[index]], signer: signer, client: client, timeout: timeout, now: now)
    }

    /// The request with its JSON body and the node's signature headers (a fresh random nonce each time), to the
    /// anchor at `anchor` (the preferred one by default).
    func signedRequest(
        _ method: HTTPMethod, _ target: String, body: (some Encodable)?, anchor: Int? = nil
    ) throws -> HTTPClientRequest {
        var bytes: [UInt8] = []
        if let body {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            bytes = Array(try encoder.encode(body))
        }
        var request = HTTPClientRequest(url: anchorURLs[anchor ?? preferredIndex] + target)
        request.method = method
        var nonce = [UInt8](repeating: 0, count: 16)
        var random = SystemRandomNumberGenerator()
        for index in nonce.indices { nonce[index] = random.next() }
        let headers = try signer.headers(
            method: method.rawValue, target: target, body: bytes, date: now(), nonce: nonce)
        for field in headers.fields { request.headers.add(name: field.name, value: field.value) }
        if body != nil {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        return request
    }

    static func failure(_ status: UInt, _ data: Data) -> any Error {
        guard let body = try? JSONDecoder().decode(AnchorErrorBody.self, from: data) else {
            let text = String(decoding: data.prefix(512), as: UTF8.self)
            return AnchorClientError(status: Int(status), code: "http-\(status)", message: text)
        }
        if let typed = body.clusterError { return typed }
        return AnchorClientError(
            status: Int(status), code: body.error.code, message: body.error.message, field: body.error.field)
    }
}
