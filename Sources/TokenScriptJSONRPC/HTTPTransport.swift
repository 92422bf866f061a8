import Foundation
import TokenScriptEvaluation
import TokenScriptHTTPClient

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// POSTs JSON bodies to one endpoint, with a deadline, a size cap and retries.
///
/// The deadline, the cap and the keep-alive session are `BoundedHTTPSession`'s; this type gives each
/// way an exchange ends its JSON-RPC meaning and decides what is worth asking again.
final class HTTPTransport: Sendable {
    let url: URL
    let options: JSONRPCClientOptions
    private let session: BoundedHTTPSession

    init(url: URL, options: JSONRPCClientOptions) {
        self.url = url
        self.options = options
        session = BoundedHTTPSession(backstop: options.timeout + 30)
    }

    /// The body of a 200 answer; timeouts and transport errors are retried as the options allow.
    func post(_ body: Data) async throws(ChainError) -> Data {
        var attempt = 0
        while true {
            let outcome = await postOnce(body)
            switch outcome {
            case .success(let data):
                return data
            case .failure(let error):
                guard error.isRetryable, attempt < options.retries, !Task.isCancelled else { throw error }
                try? await Task.sleep(for: .seconds(options.pause(beforeRetry: attempt)))
                attempt += 1
            }
        }
    }

    private func postOnce(_ body: Data) async -> Result<Data, ChainError> {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let exchange = await session.send(
            request, deadline: options.timeout, maximumBytes: options.maximumResponseBytes)
        switch exchange {
        case .response(200, let body):
            return .success(body)
        case .response(let status, let body):
            let start = String(decoding: body.prefix(120), as: UTF8.self)
            return .failure(
                .malformedResponse(
                    "HTTP status \(status.map(String.init) ?? "missing"), expected 200; body: \(RPCHex.quoted(start))"))
        case .timedOut:
            return .failure(.timeout(seconds: options.timeout))
        case .oversized(let limit, let declared?):
            return .failure(.malformedResponse("answer of \(declared) bytes exceeds the \(limit)-byte cap"))
        case .oversized(let limit, nil):
            return .failure(.malformedResponse("answer exceeds the \(limit)-byte cap"))
        case .failed(let failure):
            return .failure(failure.isTimeout ? .timeout(seconds: options.timeout) : .transport(failure.description))
        case .cancelled:
            let endpoint = "\(url.host ?? "?")\(url.port.map { ":\($0)" } ?? "")"
            return .failure(.transport("\(endpoint): cancelled"))
        }
    }
}

extension ChainError {
    /// Only failures where asking again may get an answer: the network, not the node's verdict.
    var isRetryable: Bool {
        switch self {
        case .timeout, .transport: true
        case .reverted, .malformedResponse, .rpc, .noEndpoint: false
        }
    }
}
