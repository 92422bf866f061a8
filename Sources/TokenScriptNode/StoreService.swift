import Logging
import ServiceLifecycle
import TokenScriptHTTPServer

/// Stands for the node's store in the service group. Listed after the HTTP server, it is the first service told
/// of a graceful shutdown: it clears readiness (`/ready` answers 503, no new work is routed here) and ends, and
/// the group then drains the server. Every write the store acknowledged was committed with
/// `synchronous = FULL`, so nothing is left to flush but the handle, closed when the node releases it.
struct StoreService: Service {
    let store: any NodeStore
    let readiness: ServiceReadiness
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        readiness.set(false)
        logger.info(
            "shutting down: not ready",
            metadata: ["store": "\(store.location)", "durability": "\(store.durabilityDescription())"])
    }
}
