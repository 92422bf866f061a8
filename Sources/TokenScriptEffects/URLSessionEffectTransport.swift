import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends effect attempts over one `URLSession`: the networking adapter of `EffectExecutor`.
///
/// The attempt's deadline (`EffectRequest.timeoutSeconds`) is enforced here rather than left to
/// `URLRequest.timeoutInterval`, which swift-corelibs-foundation rounds down to whole seconds and treats
/// as an idle timeout. Response bodies are capped while they stream in; redirects are not followed (a
/// redirect could turn a POST into a GET or carry the idempotency key to another host), so a `3xx` is an
/// `.error`. The transport keeps no state between attempts beyond warm keep-alive connections.
public final class URLSessionEffectTransport: EffectTransport, Sendable {
    /// The largest response body kept; a longer one ends the attempt as `.connectionFailed`.
    public let maximumResponseBytes: Int
    private let session: URLSession
    private let collector: EffectResponseCollector

    public init(maximumResponseBytes: Int = 1 << 20) {
        self.maximumResponseBytes = maximumResponseBytes
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        // Backstops only: the per-attempt deadline fires first.
        configuration.timeoutIntervalForRequest = 600
        configuration.timeoutIntervalForResource = 600
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        collector = EffectResponseCollector()
        session = URLSession(configuration: configuration, delegate: collector, delegateQueue: queue)
    }

    deinit {
        session.invalidateAndCancel()
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
        // libcurl would otherwise wait up to 1 s for "100 Continue" before sending a large body.
        urlRequest.setValue("", forHTTPHeaderField: "Expect")
        if let body = request.body, !body.isEmpty { urlRequest.httpBody = body }
        let timeout = max(request.timeoutSeconds, 0.001)
        urlRequest.timeoutInterval = timeout + 30

        let task = session.dataTask(with: urlRequest)
        let identifier = task.taskIdentifier
        let collector = collector
        let limit = maximumResponseBytes
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                collector.register(identifier, limit: limit, continuation: continuation)
                task.resume()
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                    if collector.finish(identifier, with: .timeout) { task.cancel() }
                }
            }
        } onCancel: {
            if collector.finish(identifier, with: .connectionFailed("cancelled")) { task.cancel() }
        }
    }
}

/// Gathers each task's status and body and resumes its caller exactly once (every ending path, the
/// deadline included, goes through `finish`).
final class EffectResponseCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private struct Pending {
        var continuation: CheckedContinuation<EffectResult, Never>
        var limit: Int
        var status: Int?
        var body = Data()
    }

    private let lock = NSLock()
    private var pending: [Int: Pending] = [:]

    func register(_ task: Int, limit: Int, continuation: CheckedContinuation<EffectResult, Never>) {
        lock.withLock { pending[task] = Pending(continuation: continuation, limit: limit) }
    }

    /// Resumes the caller of `task` if it is still waiting; says whether it was.
    @discardableResult
    func finish(_ task: Int, with result: EffectResult) -> Bool {
        guard let entry = lock.withLock({ pending.removeValue(forKey: task) }) else { return false }
        entry.continuation.resume(returning: result)
        return true
    }

    private func update<T>(_ task: Int, _ body: (inout Pending) -> T) -> T? {
        lock.withLock {
            guard var entry = pending[task] else { return nil }
            defer { pending[task] = entry }
            return body(&entry)
        }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode
        let limit = update(dataTask.taskIdentifier) { entry in
            entry.status = status
            return entry.limit
        }
        if let limit, response.expectedContentLength > Int64(limit) {
            finish(
                dataTask.taskIdentifier,
                with: .connectionFailed(
                    "response of \(response.expectedContentLength) bytes exceeds the \(limit)-byte cap"))
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let overLimit = update(dataTask.taskIdentifier) { entry -> Int? in
            entry.body.append(data)
            return entry.body.count > entry.limit ? entry.limit : nil
        }
        if let limit = overLimit ?? nil {
            finish(dataTask.taskIdentifier, with: .connectionFailed("response exceeds the \(limit)-byte cap"))
            dataTask.cancel()
        }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let entry = lock.withLock({ pending[task.taskIdentifier] }) else { return }
        let result: EffectResult
        if let error {
            result = Self.result(for: error, url: task.originalRequest?.url)
        } else if let status = entry.status {
            result = (200...299).contains(status)
                ? .success(status: status, body: entry.body) : .error(status: status, body: entry.body)
        } else {
            result = .connectionFailed("no HTTP status in the response")
        }
        finish(task.taskIdentifier, with: result)
    }

    /// A message naming the host and the failure; `localizedDescription` is generic on Linux.
    static func result(for error: any Error, url: URL?) -> EffectResult {
        let endpoint = url.map { "\($0.host ?? "?")\($0.port.map { ":\($0)" } ?? "")" } ?? "endpoint"
        guard let urlError = error as? URLError else { return .connectionFailed("\(endpoint): \(error)") }
        let reason: String
        switch urlError.code {
        case .timedOut: return .timeout
        case .cannotConnectToHost: reason = "connection refused"
        case .cannotFindHost, .dnsLookupFailed: reason = "host not found"
        case .networkConnectionLost: reason = "connection lost"
        case .notConnectedToInternet: reason = "not connected"
        case .badServerResponse: reason = "bad server response"
        case .cancelled: reason = "cancelled"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            reason = "TLS failure"
        case .unsupportedURL: reason = "unsupported URL"
        default: reason = "URLError \(urlError.code.rawValue)"
        }
        return .connectionFailed("\(endpoint): \(reason)")
    }
}
