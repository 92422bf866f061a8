import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptHTTPServer

/// `tokenscript anchor`: the anchor's store and HTTP server as services under swift-service-lifecycle,
/// stopped gracefully by SIGTERM or SIGINT (readiness cleared, the server drained, exit 0).
public enum AnchorProcess {
    /// Opens the store (`DIR/anchor.sqlite`, or the PostgreSQL database of `--store`) with the wall clock and the
    /// live HTTP transport, then serves.
    public static func run(
        _ configuration: AnchorConfiguration, logger: Logger, announce: @escaping @Sendable (String) -> Void
    ) async throws {
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw AnchorConfigurationError(field: "data", message: "cannot create \(configuration.dataDirectory)")
        }
        let clock = SystemAnchorClock()
        var storage: AnchorStorage?
        if let url = configuration.store {
            storage = try await AnchorStorage.postgres(url: url, clock: clock, leaseTerm: configuration.leaseTerm)
            logger.info("store", metadata: ["postgres": "\(storage?.location ?? "")"])
        }
        defer { storage?.close() }
        let anchor = try await Anchor(
            dataDirectory: configuration.dataDirectory, name: configuration.name, signer: configuration.signer,
            nodeTimeout: configuration.nodeTimeout, leaseTerm: configuration.leaseTerm, clock: clock,
            transport: HTTPEffectTransport(policy: configuration.egress), replicas: configuration.replicas,
            members: configuration.members, operators: configuration.operators, storage: storage)
        for (node, objective) in configuration.objectives.sorted(by: { $0.key < $1.key }) {
            try await anchor.serviceLevels.monitor.setObjective(objective, for: node)
        }
        if configuration.members == nil {
            logger.warning("open membership: any node key may register a new name (set --member to close it)")
        }
        try await serve(anchor, configuration: configuration, logger: logger, announce: announce)
    }

    /// Serves `anchor` until a shutdown signal (or until the calling task is cancelled, as tests do).
    /// `announce` receives `READY http://HOST:PORT` once the server listens.
    public static func serve(
        _ anchor: Anchor, configuration: AnchorConfiguration, logger: Logger,
        announce: @escaping @Sendable (String) -> Void
    ) async throws {
        let readiness = ServiceReadiness()
        let router = AnchorRouter.router(
            anchor: anchor, name: configuration.name, readiness: readiness, registry: PrometheusCollectorRegistry())
        let application = Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "tokenscript-anchor"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                readiness.set(true)
                logger.info("serving", metadata: ["name": "\(configuration.name)", "port": "\(port)"])
                announce("READY http://\(configuration.host):\(port)")
            },
            logger: logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: application)]
        if let interval = configuration.probeInterval {
            services.append(.init(service: AnchorProbeService(anchor: anchor, interval: interval, logger: logger)))
        }
        if anchor.storage.isShared {
            services.append(.init(service: AnchorMembershipFollower(anchor: anchor)))
        }
        // Listed after the server, so it is told first: readiness is cleared, then the server drains.
        services.append(.init(service: ReadinessService(readiness: readiness, logger: logger)))
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        logger.info("stopped", metadata: ["name": "\(configuration.name)"])
    }
}

/// Clears readiness when a graceful shutdown begins (every acknowledged write is already committed).
struct ReadinessService: Service {
    let readiness: ServiceReadiness
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        readiness.set(false)
        logger.info("shutting down: not ready")
    }
}

/// The wall clock: lease expiry, node health and request dates.
struct SystemAnchorClock: EngineClock {
    func unixSeconds() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}
