import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TokenScriptAttestation

/// One node's way to the anchoring node: every request signed with the node's key (`NodeRequestSigner`),
/// JSON both ways, an anchor error turned back into the cluster protocol's typed error where there is one.
public final class AnchorConnection: Sendable {
    /// `http://HOST:PORT`, without a trailing slash.
    public let anchorURL: String
    public let signer: NodeRequestSigner
    /// How long one request may take.
    public let timeout: TimeAmount
    let client: HTTPClient
    let now: @Sendable () -> UInt64
    /// Answers larger than this are refused (a log page, a member list).
    static let maximumAnswerBytes = 16 << 20

    /// The pool log streams are opened on. A node keeps one stream open per instance it follows; on the request
    /// pool (8 connections per host) the ninth instance's stream would leave no connection for requests, and
    /// every append, election and heartbeat would wait until its deadline.
    static let streamingClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            timeout: .init(connect: .seconds(10)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 100_000)))

    /// - Parameter now: Unix seconds the requests are dated with (the wall clock unless a test injects one).
    public init(
        anchorURL: String, signer: NodeRequestSigner, client: HTTPClient = .shared, timeout: TimeAmount = .seconds(10),
        now: @escaping @Sendable () -> UInt64 = { UInt64(max(0, Date().timeIntervalSince1970)) }
    ) {
        self.anchorURL = anchorURL.hasSuffix("/") ? String(anchorURL.dropLast()) : anchorURL
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

    /// Sends a signed request with `body` as JSON and decodes the answer.
    func send<Answer: Decodable>(
        _ method: HTTPMethod, _ target: String, body: (some Encodable)?, as: Answer.Type
    ) async throws -> Answer {
        let request = try signedRequest(method, target, body: body)
        let response: HTTPClientResponse
        do { response = try await client.execute(request, timeout: timeout) } catch {
            throw AnchorClientError(status: 0, code: "unreachable", message: "\(anchorURL)\(target): \(error)")
        }
        let bytes = try await response.body.collect(upTo: Self.maximumAnswerBytes)
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(response.status.code) else { throw Self.failure(response.status.code, data) }
        do { return try JSONDecoder().decode(Answer.self, from: data) } catch {
            throw AnchorClientError(
                status: Int(response.status.code), code: "bad-answer", message: "\(method) \(target): \(error)")
        }
    }

    /// The request with its JSON body and the node's signature headers (a fresh random nonce each time).
    func signedRequest(_ method: HTTPMethod, _ target: String, body: (some Encodable)?) throws -> HTTPClientRequest {
        var bytes: [UInt8] = []
        if let body {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            bytes = Array(try encoder.encode(body))
        }
        var request = HTTPClientRequest(url: anchorURL + target)
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
