import Foundation
import TokenScriptHTTP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends effect attempts over one `URLSession`: the networking adapter of `EffectExecutor`.
///
/// The attempt's deadline (`EffectRequest.timeoutSeconds`), the body cap and the refusal to follow
/// redirects (a redirect could turn a POST into a GET or carry the idempotency key to another host, so a
/// `3xx` is an `.error`) are `BoundedHTTPSession`'s; this type turns each ending into an `EffectResult`.
/// It keeps no state between attempts beyond warm keep-alive connections.
public final class URLSessionEffectTransport: EffectTransport, Sendable {
    /// The largest response body kept; a longer one ends the attempt as `.connectionFailed`.
    public let maximumResponseBytes: Int
    private let session: BoundedHTTPSession

    public init(maximumResponseBytes: Int = 1 << 20) {
        self.maximumResponseBytes = maximumResponseBytes
        session = BoundedHTTPSession()
    }

    public func perform(_ request: EffectRequest) async -> EffectResult {
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return .connectionFailed("unsupported URL \(request.url.absoluteString)")
        }
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method.rawValue
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key })
        where name.caseInsensitiveCompare(request.idempotencyHeader) != .orderedSame {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        urlRequest.setValue(request.idempotencyKey, forHTTPHeaderField: request.idempotencyHeader)
        if let body = request.body, !body.isEmpty { urlRequest.httpBody = body }

        let exchange = await session.send(
            urlRequest, deadline: max(request.timeoutSeconds, 0.001), maximumBytes: maximumResponseBytes)
        switch exchange {
        case .response(let status?, let body):
            return (200...299).contains(status) ? .success(status: status, body: body) : .error(status: status, body: body)
        case .response(nil, _):
            return .connectionFailed("no HTTP status in the response")
        case .timedOut:
            return .timeout
        case .oversized(let limit, let declared?):
            return .connectionFailed("response of \(declared) bytes exceeds the \(limit)-byte cap")
        case .oversized(let limit, nil):
            return .connectionFailed("response exceeds the \(limit)-byte cap")
        case .failed(let failure):
            return failure.isTimeout ? .timeout : .connectionFailed(failure.description)
        case .cancelled:
            return .connectionFailed("cancelled")
        }
    }
}
