import ServiceLifecycle

/// On a shared store, follows the registrations the network's other anchors log (`anchor/nodes`), so a node that
/// joined through one anchor is known to every anchor: its key verifies its requests and its heartbeats count
/// everywhere. Woken by the store's hint for the topic (PostgreSQL's `NOTIFY`), and every second without one.
struct AnchorMembershipFollower: Service {
    let anchor: Anchor

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await anchor.membership.follow(fallback: .seconds(1))
        }
    }
}
