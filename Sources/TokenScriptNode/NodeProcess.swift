import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import TokenScriptEngine
import TokenScriptSQLite

/// `tokenscript node`: a service node as a group of services under swift-service-lifecycle — the store and
/// the HTTP server — stopped gracefully by SIGTERM or SIGINT (readiness cleared, the server drained, the
/// store closed, exit 0).
public enum NodeProcess {
    /// Opens the store, starts the services and serves until a shutdown signal. `announce` receives the
    /// `READY http://HOST:PORT` line once the server listens (the bound port, when port 0 was asked).
    /// - Throws: `NodeConfigurationError` for a data directory that cannot be made, the store's error when it
    ///   cannot open, and whatever stops a service.
    public static func run(
        _ configuration: NodeConfiguration, logger: Logger, announce: @escaping @Sendable (String) -> Void
    ) async throws {
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw NodeConfigurationError(field: "data", message: "cannot create \(configuration.dataDirectory)")
        }
        let store = try SQLiteStore(path: configuration.storePath, clock: SystemNodeClock())
        let readiness = NodeReadiness()
        let registry = PrometheusCollectorRegistry()
        let router = NodeRouter.router(
            configuration: configuration, instances: SQLiteInstanceStore(store: store), readiness: readiness,
            registry: registry)
        let application = Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "tokenscript-node"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                readiness.set(true)
                logger.info("serving", metadata: ["name": "\(configuration.name)", "port": "\(port)"])
                announce("READY http://\(configuration.host):\(port)")
            },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    // Shut down in reverse order: readiness is cleared first, then the server drains.
                    .init(service: application),
                    .init(service: StoreService(store: store, readiness: readiness, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        logger.info("stopped", metadata: ["name": "\(configuration.name)"])
    }
}

/// The wall clock the store reads lease expiry from.
struct SystemNodeClock: EngineClock {
    func unixSeconds() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}
