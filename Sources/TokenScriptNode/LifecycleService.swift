import ServiceLifecycle

/// Runs the host's lifecycle sweep (`InstanceHost.settleLifecycles`) once a second until the node shuts down:
/// dormant instances quiet long enough go to rest in the store, expired ones past their retention are retired.
struct LifecycleService: Service {
    let host: InstanceHost

    func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await host.settleLifecycles()
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
