import Synchronization
import TokenScriptCluster

/// What the anchor knows of each service node's service level and what it does with it: every observation
/// becomes a sample in the SLO monitor (`anchor.sqlite`, so the record the payment layer will pay on survives
/// a restart), and each node's standing, computed once a sweep rather than for every placement question, sets
/// the placement weight it keeps (`SLOStanding.placementWeight`).
///
/// Observations: a heartbeat answered (the node's own word), a heartbeat missed past the node timeout and the
/// anchor's probes of the node's `/health` (the anchor's own, with their latency), a call the anchor had to route
/// because the executor could not perform it, a state-hash mismatch found against the node.
final class AnchorServiceLevels: Sendable {
    let monitor: any SLOMonitor
    let rules: [BurnRateRule]
    private let standings = Mutex<[String: SLOStanding]>([:])
    /// The last failure to record or evaluate, shown with the levels: observations are recorded on the side of
    /// the requests that make them, never failing those.
    let lastFailure = Mutex<String?>(nil)
    /// Each member's health at the last sweep: an outage is counted when it begins.
    private let wasHealthy = Mutex<[String: Bool]>([:])

    init(monitor: any SLOMonitor, rules: [BurnRateRule] = BurnRateRule.standard) {
        self.monitor = monitor
        self.rules = rules
    }

    /// Records `samples`. A failure is kept in `lastFailure`, not thrown: an observation lost must not fail the
    /// request that made it (a heartbeat, a routing).
    func record(_ samples: [NodeSample]) async {
        guard !samples.isEmpty else { return }
        do { try await monitor.record(samples) } catch { lastFailure.withLock { $0 = "recording samples: \(error)" } }
    }

    /// Recomputes the standing of every node in `nodes` at `time`; on a failure the last standings stay.
    func refresh(_ nodes: [String], at time: UInt64) async {
        var fresh: [String: SLOStanding] = [:]
        do {
            for node in nodes {
                if let standing = try await monitor.standing(of: node, at: time, rules: rules) {
                    fresh[node] = standing
                }
            }
        } catch {
            lastFailure.withLock { $0 = "evaluating standings: \(error)" }
            return
        }
        standings.withLock { $0 = fresh }
    }

    /// The nodes of `health` (name, healthy now) that were healthy at the last sweep and are not any more.
    func dropped(_ health: [(String, Bool)]) -> [String] {
        wasHealthy.withLock { previous in
            let dropped = health.filter { name, healthy in !healthy && previous[name] == true }.map(\.0)
            previous = Dictionary(health, uniquingKeysWith: { _, last in last })
            return dropped
        }
    }

    /// The standing of the last sweep; nil before it or when nothing was recorded for `node`.
    func standing(of node: String) -> SLOStanding? { standings.withLock { $0[node] } }

    /// The weight `node` places with: its capacity, lowered by its standing.
    func weight(of node: String, capacity: UInt32) -> UInt32 {
        standing(of: node)?.placementWeight(capacity: capacity) ?? capacity
    }

    /// `nodes` with their weights lowered by their standings, relieved ones left out; when that would leave
    /// no node at all, every node at its capacity: a network whose every node burns degrades, it does not stop.
    func weighted(_ nodes: [ServiceNode]) -> [ServiceNode] {
        let kept = nodes.compactMap { node -> ServiceNode? in
            let weight = weight(of: node.id, capacity: node.weight)
            return weight > 0 ? ServiceNode(id: node.id, weight: weight) : nil
        }
        return kept.isEmpty ? nodes : kept
    }
}
