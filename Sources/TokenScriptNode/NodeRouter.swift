import Hummingbird
import Metrics
import NIOCore
import Prometheus
import TokenScriptHTTPServer
import TokenScriptCluster

/// The node's HTTP routes. Built apart from the server so a test can drive them in process.
public enum NodeRouter {
    /// Path → methods, for the 405 answer and for the README's list.
    static let routes: [String: [HTTPRequest.Method]] = [
        "/": [.get], "/health": [.get], "/ready": [.get], "/metrics": [.get], "/openapi.json": [.get],
        "/v1/instances": [.get],
    ]

    /// `POST /v1/faults` (`NodeFaults`): 404 `fault-injection-off` unless the node runs with `--fault-injection`.
    static let faultRoutes: [String: [HTTPRequest.Method]] = [NodeFaults.route: [.post]]

    struct Health: Encodable {
        var status = "ok"
        var name: String
        var nodeKey: String?
    }

    struct Readiness: Encodable {
        var status: String
    }

    struct InstanceList: Encodable {
        var instances: [StoredInstanceSummary]
    }

    /// The routes over `store`, answering ready per `readiness`, metrics from `registry`; with `host`,
    /// also the hosting routes (`InstanceRoutes`); with `servedCalls`, every API call counted for the anchor;
    /// `faults` holds the delay `POST /v1/faults` sets (with `--fault-injection`).
    public static func router(
        configuration: NodeConfiguration, store: any NodeStore, readiness: ServiceReadiness,
        registry: PrometheusCollectorRegistry, host: InstanceHost? = nil, servedCalls: ServedCallCounter? = nil,
        faults: NodeFaults = NodeFaults()
    ) -> Router<BasicRequestContext> {
        let router = Router()
        if let servedCalls { router.add(middleware: ServedCallCounter.Middleware(counter: servedCalls)) }
        let known = (host == nil ? routes : routes.merging(InstanceRoutes.routes) { $0 + $1 })
            .merging(faultRoutes) { $0 + $1 }
        router.add(
            middleware: HTTPRouteMetricsMiddleware(
                factory: PrometheusMetricsFactory(registry: registry), knownRoutes: Set(known.keys.map(Self.pattern))))
        router.add(middleware: HTTPErrorMiddleware(routes: fixedPaths(of: known)))
        faults.add(to: router, enabled: configuration.faultInjection)
        let commits = StoreCommitMetrics(store: store, registry: registry)
        router.get("/") { _, _ in
            let html = NodeStatusPage.html(
                configuration: configuration, views: await host?.views(),
                lifecycle: await host?.lifecycleCounts())
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
        router.get("/health") { _, _ in
            HTTPJSON.json(Health(name: configuration.name, nodeKey: configuration.nodeKey))
        }
        router.get("/ready") { _, _ in
            readiness.isReady
                ? HTTPJSON.json(Readiness(status: "ready"))
                : HTTPJSON.json(Readiness(status: "not ready"), status: .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            commits.update()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("/openapi.json") { _, _ in
            // Committed as Sources/TokenScriptNode/openapi.json; CI runs schemathesis against a live node with it.
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_json)))
        }
        router.get("/v1/instances") { _, _ in
            guard let host else { return HTTPJSON.json(InstanceList(instances: try await store.lifecycle.summaries())) }
            let counts = await host.lifecycleCounts()
            return JSONResponses.ok([
                "instances": .array(await host.views().map(\.listed)), "resting": .int(Int64(counts.resting)),
                "retired": .int(Int64(counts.retired)),
            ])
        }
        if let host {
            InstanceRoutes.add(to: router, host: host)
        }
        return router
    }

    /// A route as Hummingbird names its endpoint (`/v1/instances/{id}`), for the metrics' route label.
    static func pattern(_ route: String) -> String {
        route.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    /// The routes without path parameters (the 405 answer compares concrete paths).
    private static func fixedPaths(of routes: [String: [HTTPRequest.Method]]) -> [String: [HTTPRequest.Method]] {
        routes.filter { !$0.key.contains(":") }
    }
}
