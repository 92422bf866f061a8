import Logging
import ServiceLifecycle
import TokenScriptSQLite

/// Holds the node's store open for the life of the service group. On graceful shutdown it first clears
/// readiness (no new work is routed here), then lets the group end; every write the store acknowledged was
/// committed with `synchronous = FULL`, so nothing is left to flush but the handle, closed when released.
struct StoreService: Service {
    let store: SQLiteStore
    let readiness: NodeReadiness
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        readiness.set(false)
        let mode = (try? store.durability()).map { "\($0.journalMode), synchronous=\($0.synchronous)" } ?? "unknown"
        logger.info("store closing", metadata: ["path": "\(store.path)", "durability": "\(mode)"])
    }
}
