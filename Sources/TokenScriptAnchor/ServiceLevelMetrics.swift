import Prometheus
import TokenScriptCluster

/// Each member's service level on the anchor's `/metrics`, from the last sweep, set at every scrape: the weight
/// placement gives it, the most urgent burn-rate level firing (0 none, 1 ticket, 2 page), the share of its
/// period's budget spent, and the burn rate of every rule window (label `window`, in seconds).
final class ServiceLevelMetrics: Sendable {
    private let anchor: Anchor
    private let registry: PrometheusCollectorRegistry

    init(anchor: Anchor, registry: PrometheusCollectorRegistry) {
        self.anchor = anchor
        self.registry = registry
    }

    func update() {
        for member in anchor.members() {
            let node = [("node", member.name)]
            gauge("placement_weight", node, "The weight the anchor places the node with (0: relieved)")
                .set(Double(member.weight ?? member.capacity))
            let standing = anchor.serviceLevels.standing(of: member.name)
            let level: Double =
                switch standing?.level {
                case nil: 0
                case .ticket: 1
                case .page: 2
                }
            gauge(
                "service_level", node,
                "The most urgent burn-rate rule firing against the node: 0 none, 1 ticket, 2 page"
            )
            .set(level)
            guard let standing else { continue }
            gauge("budget_spent", node, "The share of the node's error budget spent over its objective's period")
                .set(standing.budgetSpent)
            for window in Set(standing.rules.flatMap { [$0.long, $0.short] }) {
                gauge(
                    "burn_rate", node + [("window", "\(window.seconds)s")],
                    "How many times faster than its objective allows the node spends its budget, over the window"
                ).set(window.burnRate)
            }
        }
    }

    private func gauge(_ name: String, _ labels: [(String, String)], _ help: String) -> Gauge {
        registry.makeGauge(name: "tokenscript_node_" + name, labels: labels, help: help)
    }
}
