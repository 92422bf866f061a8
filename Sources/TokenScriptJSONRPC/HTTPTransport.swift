import Foundation
import TokenScriptEvaluation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// POSTs JSON bodies to one endpoint over one `URLSession`, with a deadline, a size cap and retries.
///
/// One session per endpoint keeps its HTTP keep-alive connections warm between calls. The deadline is
/// enforced here rather than left to `URLRequest.timeoutInterval`, which swift-corelibs-foundation rounds
/// down to whole seconds and treats as an idle timeout, not as a limit on the whole exchange.
final class HTTPTransport: Sendable {
    let url: URL
    let options: JSONRPCClientOptions
    private let session: URLSession
    private let collector: ResponseCollector

    init(url: URL, options: JSONRPCClientOptions) {
        self.url = url
        self.options = options
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        // A backstop only: the deadline below fires first.
        configuration.timeoutIntervalForRequest = options.timeout + 30
        configuration.timeoutIntervalForResource = options.timeout + 30
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        collector = ResponseCollector()
        session = URLSession(configuration: configuration, delegate: collector, delegateQueue: queue)
    }

    deinit {
        session.invalidateAndCancel()
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
        // libcurl would otherwise wait up to 1 s for "100 Continue" before sending a large batch.
        request.setValue("", forHTTPHeaderField: "Expect")
        request.timeoutInterval = options.timeout + 30
        let task = session.dataTask(with: request)
        let identifier = task.taskIdentifier
        let timeout = options.timeout
        let collector = collector
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                collector.register(
                    identifier, limit: options.maximumResponseBytes, timeout: timeout, continuation: continuation)
                task.resume()
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                    if collector.finish(identifier, with: .failure(.timeout(seconds: timeout))) { task.cancel() }
                }
            }
        } onCancel: {
            task.cancel()
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
