import Hummingbird
import Metrics
import NIOCore
import Prometheus
import TokenScriptSQLite

/// The node's HTTP routes. Built apart from the server so a test can drive them in process.
public enum NodeRouter {
    /// Path → methods, for the 405 answer and for the README's list.
    static let routes: [String: [HTTPRequest.Method]] = [
        "/health": [.get], "/ready": [.get], "/metrics": [.get], "/v1/instances": [.get],
    ]

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

    /// The routes over `instances`, answering ready per `readiness`, metrics from `registry`.
    public static func router(
        configuration: NodeConfiguration, instances: SQLiteInstanceStore, readiness: NodeReadiness,
        registry: PrometheusCollectorRegistry
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(
            middleware: RouteMetricsMiddleware(
                factory: PrometheusMetricsFactory(registry: registry), knownRoutes: Set(routes.keys)))
        router.add(middleware: JSONErrorMiddleware(routes: routes))
        router.get("/health") { _, _ in
            JSONResponses.json(Health(name: configuration.name, nodeKey: configuration.nodeKey))
        }
        router.get("/ready") { _, _ in
            readiness.isReady
                ? JSONResponses.json(Readiness(status: "ready"))
                : JSONResponses.json(Readiness(status: "not ready"), status: .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("/v1/instances") { _, _ in
            JSONResponses.json(InstanceList(instances: try await instances.summaries()))
        }
        return router
    }
}
