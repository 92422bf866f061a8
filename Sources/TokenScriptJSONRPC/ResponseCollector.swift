import Foundation
import TokenScriptEvaluation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The `URLSession` delegate of an `HTTPTransport`: gathers each task's body and resumes its caller once.
///
/// Delegate callbacks (rather than `data(for:)`) let the size cap stop a response while it streams in,
/// instead of after it has filled memory. Every path that ends a task, including the transport's own
/// deadline, goes through `finish`, which resumes the waiting continuation exactly once.
final class ResponseCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private struct Pending {
        var continuation: CheckedContinuation<Result<Data, ChainError>, Never>
        var limit: Int
        var timeout: Double
        var status: Int?
        var body = Data()
    }

    private let lock = NSLock()
    private var pending: [Int: Pending] = [:]

    func register(
        _ task: Int, limit: Int, timeout: Double, continuation: CheckedContinuation<Result<Data, ChainError>, Never>
    ) {
        lock.withLock { pending[task] = Pending(continuation: continuation, limit: limit, timeout: timeout) }
    }

    /// Resumes the caller of `task` if it is still waiting; says whether it was.
    @discardableResult
    func finish(_ task: Int, with result: Result<Data, ChainError>) -> Bool {
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
                with: .failure(
                    .malformedResponse(
                        "answer of \(response.expectedContentLength) bytes exceeds the \(limit)-byte cap")))
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
            finish(dataTask.taskIdentifier, with: .failure(.malformedResponse("answer exceeds the \(limit)-byte cap")))
            dataTask.cancel()
        }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        // A redirect would turn the POST into a GET; report the 3xx as the non-200 answer it is.
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let entry = lock.withLock({ pending[task.taskIdentifier] }) else { return }
        let result: Result<Data, ChainError>
        if let error {
            result = .failure(Self.chainError(for: error, timeout: entry.timeout, url: task.originalRequest?.url))
        } else if entry.status != 200 {
            let start = String(decoding: entry.body.prefix(120), as: UTF8.self)
            result = .failure(
                .malformedResponse(
                    "HTTP status \(entry.status.map(String.init) ?? "missing"), expected 200; body: \(RPCHex.quoted(start))"
                ))
        } else {
            result = .success(entry.body)
        }
        finish(task.taskIdentifier, with: result)
    }

    /// A message that names the endpoint and the failure; `localizedDescription` is generic on Linux.
    static func chainError(for error: any Error, timeout: Double, url: URL?) -> ChainError {
        let endpoint = url.map { "\($0.host ?? "?")\($0.port.map { ":\($0)" } ?? "")" } ?? "endpoint"
        guard let urlError = error as? URLError else { return .transport("\(endpoint): \(error)") }
        let reason: String
        switch urlError.code {
        case .timedOut: return .timeout(seconds: timeout)
        case .cannotConnectToHost: reason = "connection refused"
        case .cannotFindHost, .dnsLookupFailed: reason = "host not found"
        case .networkConnectionLost: reason = "connection lost"
        case .notConnectedToInternet: reason = "not connected"
        case .cancelled: reason = "cancelled"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            reason = "TLS failure"
        case .unsupportedURL: reason = "unsupported URL"
        default: reason = "URLError \(urlError.code.rawValue)"
        }
        return .transport("\(endpoint): \(reason)")
    }
}
