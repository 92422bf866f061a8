import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One `URLSession` whose exchanges have a deadline and a body cap: the JSON-RPC client's transport (its
/// endpoints are the operator's configuration). Effects, whose URLs come from token code, use
/// `PinnedHTTPClient` instead, which connects only to addresses the egress policy checked.
///
/// The deadline is enforced here rather than left to `URLRequest.timeoutInterval`, which
/// swift-corelibs-foundation rounds down to whole seconds and treats as an idle timeout. Bodies are
/// capped while they stream in (delegate callbacks, not `data(for:)`), so an oversized answer never
/// fills memory. Redirects are not followed: a redirect would turn a POST into a GET or carry headers
/// such as an idempotency key to another host; the `3xx` is reported as the response it is. One
/// session per endpoint keeps keep-alive connections warm between exchanges.
public final class BoundedHTTPSession: Sendable {
    private let session: URLSession
    private let collector: ExchangeCollector

    /// - Parameter backstop: URLSession's own timeouts, which only matter if a deadline somehow fails to fire.
    public init(backstop: TimeInterval = 600) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.timeoutIntervalForRequest = backstop
        configuration.timeoutIntervalForResource = backstop
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        collector = ExchangeCollector()
        session = URLSession(configuration: configuration, delegate: collector, delegateQueue: queue)
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// The longest deadline honoured (a century, like the longest `ISODuration`); longer ones are clamped.
    public static let longestDeadline: TimeInterval = 36_500 * 86_400

    /// Sends `request` and waits for its end: a response, the deadline, the cap, a failure or cancellation.
    public func send(_ request: URLRequest, deadline seconds: TimeInterval, maximumBytes: Int) async -> HTTPExchange {
        // Dispatch converts the deadline to Int64 nanoseconds and traps beyond ~292 years (or on NaN): clamp.
        let seconds = seconds.isNaN ? 0 : min(max(seconds, 0), Self.longestDeadline)
        var request = request
        // libcurl would otherwise wait up to 1 s for "100 Continue" before sending a large body.
        request.setValue("", forHTTPHeaderField: "Expect")
        request.timeoutInterval = seconds + 30
        let task = session.dataTask(with: request)
        let identifier = task.taskIdentifier
        let collector = collector
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                collector.register(identifier, limit: maximumBytes, continuation: continuation)
                task.resume()
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                    if collector.finish(identifier, with: .timedOut) { task.cancel() }
                }
            }
        } onCancel: {
            if collector.finish(identifier, with: .cancelled) { task.cancel() }
        }
    }
}

/// The session's delegate: gathers each task's status and body and resumes its caller exactly once
/// (every ending path, the deadline included, goes through `finish`).
final class ExchangeCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private struct Pending {
        var continuation: CheckedContinuation<HTTPExchange, Never>
        var limit: Int
        var status: Int?
        var body = Data()
    }

    private let lock = NSLock()
    private var pending: [Int: Pending] = [:]

    func register(_ task: Int, limit: Int, continuation: CheckedContinuation<HTTPExchange, Never>) {
        lock.withLock { pending[task] = Pending(continuation: continuation, limit: limit) }
    }

    /// Resumes the caller of `task` if it is still waiting; says whether it was.
    @discardableResult
    func finish(_ task: Int, with exchange: HTTPExchange) -> Bool {
        guard let entry = lock.withLock({ pending.removeValue(forKey: task) }) else { return false }
        entry.continuation.resume(returning: exchange)
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
            finish(dataTask.taskIdentifier, with: .oversized(limit: limit, declared: response.expectedContentLength))
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
            finish(dataTask.taskIdentifier, with: .oversized(limit: limit, declared: nil))
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
        if let error {
            finish(task.taskIdentifier, with: .failed(HTTPFailure(error, url: task.originalRequest?.url)))
        } else {
            finish(task.taskIdentifier, with: .response(status: entry.status, body: entry.body))
        }
    }
}
