import Logging
import ServiceLifecycle
import Synchronization
import TokenScriptAnchorClient

/// A network node's membership as a service of its group: once the server listens it registers with the
/// anchor (its URL is the bound `READY` address), then heartbeats every second, renews its executor leases
/// and runs the host's network tick until a graceful shutdown. Listed last, it is the first to stop, so the
/// node stops heartbeating (and the anchor elects elsewhere) before it stops serving.
struct AnchorService: Service {
    let connection: AnchorConnection
    let address: BoundAddress
    let capacity: UInt32
    let host: InstanceHost?
    /// The calls this node answered, reported to the anchor once a second.
    let servedCalls: ServedCallCounter?
    let logger: Logger
    /// Called with the node's URL once the anchor accepted its registration: the node is ready then.
    let joined: @Sendable (String) -> Void
    /// How often the host's network tick runs.
    var tickInterval: Duration = .milliseconds(250)

    /// Ends quietly on a graceful shutdown; throws when the anchor refuses the registration or stays
    /// unreachable for ten seconds, which stops the node.
    func run() async throws {
        do { try await joinAndServe() } catch is CancellationError {}
    }

    private func joinAndServe() async throws {
        try await cancelWhenGracefulShutdown {
            let url = try await address.wait()
            let placement = RemotePlacement(connection: connection, url: url)
            try await register(placement)
            logger.info(
                "joined the anchor's network", metadata: ["anchor": "\(connection.anchorURL)", "url": "\(url)"])
            joined(url)
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Each anchor on its own beat: one that is down (its requests waiting out their timeout) delays no
                // other's heartbeats. Each anchoring node judges a member's health from the heartbeats it hears.
                for anchor in connection.anchorURLs.indices.map(connection.only) {
                    let placement = RemotePlacement(connection: anchor, url: url)
                    group.addTask { try await every(.seconds(1)) { try? await placement.heartbeat() } }
                }
                group.addTask { try await every(.milliseconds(500)) { await host?.renewLeases() } }
                group.addTask { try await every(tickInterval) { await host?.networkTick() } }
                group.addTask { try await every(.seconds(1)) { await reportServedCalls() } }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Sends what `servedCalls` counted since the last report; kept for the next one when the anchor is away.
    private func reportServedCalls() async {
        guard let servedCalls, let report = servedCalls.drain() else { return }
        do { _ = try await RemoteAnchoringNode(connection: connection).report(served: report) } catch {
            servedCalls.restore(report)
            logger.debug("cannot report served calls", metadata: ["error": "\(error)"])
        }
    }

    /// Registers, retrying for ten seconds while the anchor cannot be reached.
    private func register(_ placement: RemotePlacement) async throws {
        var attempts = 0
        while true {
            do {
                try await placement.register(capacity: capacity)
                try await placement.heartbeat()
                return
            } catch let error as AnchorClientError where error.code == "unreachable" && attempts < 40 {
                attempts += 1
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    private func every(_ interval: Duration, _ work: @Sendable () async -> Void) async throws {
        while true {
            await work()
            try await Task.sleep(for: interval)
        }
    }
}

/// The address the HTTP server bound (`http://HOST:PORT`), set once it listens; the anchor service waits for it.
final class BoundAddress: Sendable {
    private let url = Mutex<String?>(nil)

    func set(_ value: String) { url.withLock { $0 = value } }

    func wait() async throws -> String {
        while true {
            if let value = url.withLock({ $0 }) { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
