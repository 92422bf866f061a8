import Synchronization

/// Whether a server takes work: set once its store is open and it listens, cleared when a graceful shutdown
/// begins, so a load balancer stops sending before the process stops answering.
public final class ServiceReadiness: Sendable {
    private let state = Mutex<Bool>(false)

    public init() {}

    public var isReady: Bool { state.withLock { $0 } }

    public func set(_ ready: Bool) { state.withLock { $0 = ready } }
}
