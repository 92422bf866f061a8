import TokenScriptAnchorClient
import TokenScriptCluster

/// How a node becomes an instance's executor.
enum ExecutorSeat: Sendable {
    /// A single node elects itself in its own store.
    case selfElected(any ExecutorElection)
    /// A network node never elects itself: it asks the anchor, which elects the best healthy host.
    case anchored(AnchorMembership)
}

/// A node's membership of an anchor's network: the anchor elects executors, routes failed effect calls, holds
/// the log, places instances on `replicas` hosts and hears state hashes. Every request is signed by the node.
public struct AnchorMembership: Sendable {
    public var log: RemoteAttestationLog
    public var election: RemoteElection
    public var placement: RemotePlacement
    public var anchoring: RemoteAnchoringNode
    /// How many hosts an instance has (the anchor's placement picks them).
    public var replicas: Int

    /// All four clients over one `connection`; `url` is this node's own address, registered with the anchor.
    public init(connection: AnchorConnection, url: String, replicas: Int = 3) {
        self.log = RemoteAttestationLog(connection: connection)
        self.election = RemoteElection(connection: connection)
        self.placement = RemotePlacement(connection: connection, url: url)
        self.anchoring = RemoteAnchoringNode(connection: connection)
        self.replicas = replicas
    }
}

/// A lease this node holds as executor, with when it was last renewed, so the renewal task extends it at a
/// third of its term.
struct HeldLease: Sendable, Hashable {
    var lease: ExecutorLease
    var renewedAt: UInt64
    var expiresAt: UInt64

    var term: UInt64 { expiresAt > renewedAt ? expiresAt - renewedAt : 1 }
    func needsRenewal(at now: UInt64) -> Bool { now >= renewedAt + max(1, term / 3) }
}
