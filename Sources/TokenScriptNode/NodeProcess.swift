import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptPostgres
import TokenScriptSQLite
import TokenScriptHTTPServer

/// `tokenscript node`: a service node as a group of services under swift-service-lifecycle — the store, the
/// HTTP server and, with an anchor, its membership of the anchor's network (`AnchorService`) — stopped
/// gracefully by SIGTERM or SIGINT (heartbeats stopped, readiness cleared, the server drained, the store
/// closed, exit 0).
public enum NodeProcess {
    /// Opens the store, recovers every hosted instance (`hosting`: the scripts and adapters; nil hosts
    /// nothing), starts the services and serves until a shutdown signal. `announce` receives the
    /// `READY http://HOST:PORT` line once the server listens (the bound port, when port 0 was asked).
    /// - Throws: `NodeConfigurationError` for a data directory that cannot be made or hosting without a key,
    ///   the store's error when it cannot open, and whatever stops a service.
    public static func run(
        _ configuration: NodeConfiguration, hosting: NodeHosting? = nil, logger: Logger,
        announce: @escaping @Sendable (String) -> Void
    ) async throws {
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw NodeConfigurationError(field: "data", message: "cannot create \(configuration.dataDirectory)")
        }
        let clock = SystemNodeClock()
        var postgres: PostgresStore?
        defer { postgres?.close() }
        let store: any NodeStore
        if let url = configuration.store {
            let opened = try await PostgresStore(url: url, clock: clock, logger: logger)
            postgres = opened
            store = PostgresNodeStore(opened)
            logger.info("store", metadata: ["postgres": "\(opened.location)"])
        } else {
            store = SQLiteNodeStore(try SQLiteStore(path: configuration.storePath, clock: clock))
        }
        var connection: AnchorConnection?
        if configuration.anchorURL != nil {
            guard let seed = configuration.signerSeed else {
                throw NodeConfigurationError(field: "key", message: "a node joining an anchor needs its ed25519 --key")
            }
            let signer = NodeRequestSigner(name: configuration.name, signer: try Ed25519AttestationSigner(seed: seed))
            connection = AnchorConnection(anchorURLs: configuration.anchorURLs, signer: signer)
        }
        var host: InstanceHost?
        if let hosting {
            guard let seed = configuration.signerSeed else {
                throw NodeConfigurationError(field: "key", message: "a node hosting scripts needs its ed25519 --key")
            }
            let hosted: InstanceHost
            if let connection {
                // The node's own URL is known once it listens; the anchor service registers it then.
                hosted = try InstanceHost(
                    scripts: hosting.scripts, store: store, network: AnchorMembership(connection: connection, url: ""),
                    nodeName: configuration.name, signerSeed: seed, runtime: hosting.runtime,
                    effectTransport: hosting.effectTransport, clock: clock, logger: logger,
                    lifecyclePolicy: configuration.lifecyclePolicy)
            } else {
                hosted = try InstanceHost(
                    scripts: hosting.scripts, store: store, log: store.localLog(),
                    election: store.localElection(), nodeName: configuration.name, signerSeed: seed,
                    runtime: hosting.runtime, effectTransport: hosting.effectTransport, clock: clock, logger: logger,
                    lifecyclePolicy: configuration.lifecyclePolicy)
            }
            try await hosted.recover()
            host = hosted
        }
        let joinsAnchor = connection != nil
        let bound = BoundAddress()
        let readiness = ServiceReadiness()
        let registry = PrometheusCollectorRegistry()
        // A network node counts the calls it answers for the anchor (AnchorService reports them).
        let servedCalls = joinsAnchor ? ServedCallCounter() : nil
        let router = NodeRouter.router(
            configuration: configuration, store: store, readiness: readiness,
            registry: registry, host: host, servedCalls: servedCalls)
        let application = Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "tokenscript-node"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let url = "http://\(configuration.host):\(port)"
                bound.set(url)
                logger.info("serving", metadata: ["name": "\(configuration.name)", "port": "\(port)"])
                // A network node is ready once the anchor knows it (AnchorService): before that, a request
                // that needs the anchor would be refused as from an unknown node.
                if !joinsAnchor { Self.ready(url, readiness: readiness, announce: announce) }
            },
            logger: logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            // Shut down in reverse order: the anchor service stops heartbeating, readiness is cleared, then
            // the server drains.
            .init(service: application),
            .init(service: StoreService(store: store, readiness: readiness, logger: logger)),
        ]
        if let host {
            services.append(.init(service: LifecycleService(host: host)))
        }
        if let connection {
            let membership = AnchorService(
                connection: connection, address: bound, capacity: configuration.capacity, host: host,
                servedCalls: servedCalls, logger: logger,
                joined: { url in Self.ready(url, readiness: readiness, announce: announce) })
            services.append(.init(service: membership))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        await host?.stop()
        logger.info("stopped", metadata: ["name": "\(configuration.name)"])
    }

    /// Marks the node ready (`/ready` answers 200) and announces `READY URL` on standard output.
    static func ready(_ url: String, readiness: ServiceReadiness, announce: (String) -> Void) {
        readiness.set(true)
        announce("READY \(url)")
    }
}

/// The wall clock the store reads lease expiry from.
struct SystemNodeClock: EngineClock {
    func unixSeconds() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}
