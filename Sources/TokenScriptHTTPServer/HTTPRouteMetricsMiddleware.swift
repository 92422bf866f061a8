import Hummingbird
import Metrics

/// Counts requests and times them per route and status into the server's own metrics factory (never the
/// process-global one, so two servers in one test process keep separate counts). The route label is the
/// route's pattern when it is one of `knownRoutes`, else `unmatched`, so a scanner cannot grow the label set.
public struct HTTPRouteMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    public let factory: any MetricsFactory
    public let knownRoutes: Set<String>

    public init(factory: any MetricsFactory, knownRoutes: Set<String>) {
        self.factory = factory
        self.knownRoutes = knownRoutes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath.flatMap { knownRoutes.contains($0) ? $0 : nil } ?? "unmatched"
        let dimensions = [
            ("route", route), ("method", request.method.rawValue), ("status", String(response.status.code)),
        ]
        Counter(label: "tokenscript_http_requests_total", dimensions: dimensions, factory: factory).increment()
        let elapsed = ContinuousClock.now - start
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        Timer(
            label: "tokenscript_http_request_duration_seconds", dimensions: Array(dimensions.prefix(2)),
            factory: factory
        ).recordNanoseconds(nanoseconds)
        return response
    }
}
