import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A demo service's router served on 127.0.0.1 at a free port until `stop()`: the devnet runs the hotel this
/// way beside its child processes, and the tests run it in process.
public final class DemoServer: Sendable {
    /// The bound port.
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    struct NotStarted: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts serving `router` and returns once the port is bound.
    public static func start(_ router: Router<BasicRequestContext>, name: String, logger: Logger) async throws
        -> DemoServer
    {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: name),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            let reason: String
            do {
                try await task.value
                reason = "stopped before it listened"
            } catch {
                reason = "\(error)"
            }
            throw NotStarted(description: "\(name): could not listen on 127.0.0.1: \(reason)")
        }
        return DemoServer(port: port, group: group, task: task)
    }

    /// Stops serving (a graceful shutdown: open requests finish) and waits for the server to end.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
