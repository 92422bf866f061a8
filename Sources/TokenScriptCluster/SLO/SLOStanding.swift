/// Where a node stands against its objective at one time: each burn-rate rule over its two windows, the most
/// urgent rule firing, and how much of the period's budget is spent. What an anchor decides placement and
/// election on, and what `tokenscript anchor` shows.
public struct SLOStanding: Sendable, Hashable, Codable {
    /// One window's events and the burn rate they give.
    public struct Window: Sendable, Hashable, Codable {
        public var seconds: UInt64
        public var counts: EventCounts
        public var burnRate: Double
    }

    /// One rule: its two windows and whether both burn at its rate (with its minimum of bad events).
    public struct Rule: Sendable, Hashable, Codable {
        public var rule: BurnRateRule
        public var long: Window
        public var short: Window
        public var firing: Bool
    }

    public var node: String
    public var time: UInt64
    public var objective: ServiceObjective
    public var rules: [Rule]
    /// The most urgent firing rule's level; nil while the node keeps its objective.
    public var level: BurnRateRule.Level?
    /// The events of the objective's period up to `time`.
    public var period: Window
    /// The share of the period's budget the node spent: the period's burn rate (1 is all of it).
    public var budgetSpent: Double { period.burnRate }

    /// The window lengths `init` needs counts for: every rule's two and the period.
    public static func windows(of rules: [BurnRateRule], objective: ServiceObjective) -> Set<UInt64> {
        Set(rules.flatMap { [$0.longSeconds, $0.shortSeconds] } + [objective.periodSeconds])
    }

    /// The standing from the counts of each window in `windows(of:objective:)`, ending at `time` (a window
    /// missing from `counts` counts as empty).
    public init(
        node: String, time: UInt64, objective: ServiceObjective, rules: [BurnRateRule], counts: [UInt64: EventCounts]
    ) {
        func window(_ seconds: UInt64) -> Window {
            let found = counts[seconds] ?? EventCounts()
            return Window(seconds: seconds, counts: found, burnRate: found.burnRate(of: objective))
        }
        self.node = node
        self.time = time
        self.objective = objective
        self.rules = rules.map { rule in
            let long = window(rule.longSeconds), short = window(rule.shortSeconds)
            let firing =
                short.counts.bad >= rule.minimumBadEvents
                && long.counts.burns(atLeast: rule.factorTenths, of: objective)
                && short.counts.burns(atLeast: rule.factorTenths, of: objective)
            return Rule(rule: rule, long: long, short: short, firing: firing)
        }
        level = self.rules.filter(\.firing).map(\.rule.level).max()
        period = window(objective.periodSeconds)
    }

    /// The standing over `series`.
    public init(node: String, time: UInt64, objective: ServiceObjective, rules: [BurnRateRule], series: EventSeries) {
        var counts: [UInt64: EventCounts] = [:]
        for seconds in Self.windows(of: rules, objective: objective) {
            counts[seconds] = series.counts(seconds: seconds, endingAt: time)
        }
        self.init(node: node, time: time, objective: objective, rules: rules, counts: counts)
    }
}
