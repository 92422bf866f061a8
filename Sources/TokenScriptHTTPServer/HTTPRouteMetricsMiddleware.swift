import Hummingbird
import Metrics
import Synchronization

/// Counts requests and times them per route and status into the server's own metrics factory (never the
/// process-global one, so two servers in one test process keep separate counts). The route label is the
/// route's pattern when it is one of `knownRoutes`, else `unmatched`, so a scanner cannot grow the label set.
///
/// The counter and timer of each label set are made once and kept (`Instruments`): making them asks the
/// factory's registry, behind its lock, on every request otherwise. The label sets are bounded (known routes
/// × methods × statuses), so the kept set is too.
public struct HTTPRouteMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    public let factory: any MetricsFactory
    public let knownRoutes: Set<String>
    private let instruments: Instruments

    public init(factory: any MetricsFactory, knownRoutes: Set<String>) {
        self.factory = factory
        self.knownRoutes = knownRoutes
        instruments = Instruments(factory: factory)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath.flatMap { knownRoutes.contains($0) ? $0 : nil } ?? "unmatched"
        let (counter, timer) = instruments.for(
            route: route, method: request.method.rawValue, status: response.status.code)
        counter.increment()
        let elapsed = ContinuousClock.now - start
        timer.recordNanoseconds(
            elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        return response
    }

    /// The counters and timers made so far, by label set.
    final class Instruments: Sendable {
        private struct Labels: Hashable {
            let route: String
            let method: String
            let status: Int
        }

        private let factory: any MetricsFactory
        private let made = Mutex<[Labels: (Counter, Timer)]>([:])

        init(factory: any MetricsFactory) { self.factory = factory }

        func `for`(route: String, method: String, status: Int) -> (Counter, Timer) {
            let labels = Labels(route: route, method: method, status: status)
            if let kept = made.withLock({ $0[labels] }) { return kept }
            let dimensions = [("route", route), ("method", method), ("status", String(status))]
            let pair = (
                Counter(label: "tokenscript_http_requests_total", dimensions: dimensions, factory: factory),
                Timer(
                    label: "tokenscript_http_request_duration_seconds", dimensions: Array(dimensions.prefix(2)),
                    factory: factory)
            )
            made.withLock { $0[labels] = pair }
            return pair
        }
    }
}
