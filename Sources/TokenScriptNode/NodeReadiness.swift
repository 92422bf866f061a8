import Synchronization

/// Whether the node takes work: set once the store is open and the HTTP server listens, cleared when a
/// graceful shutdown begins, so a load balancer stops sending before the process stops answering.
public final class NodeReadiness: Sendable {
    private let state = Mutex<Bool>(false)

    public init() {}

    public var isReady: Bool { state.withLock { $0 } }

    /// Set by the node when it starts and stops serving (and by tests of the routes).
    public func set(_ ready: Bool) { state.withLock { $0 = ready } }
}
