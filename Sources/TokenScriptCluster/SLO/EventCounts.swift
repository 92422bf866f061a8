import TokenScriptArithmetic

/// Events and bad events in some span of time, the unit every burn rate is computed from.
public struct EventCounts: Sendable, Hashable, Codable {
    public var total: UInt64
    public var bad: UInt64

    public init(total: UInt64 = 0, bad: UInt64 = 0) {
        self.total = total
        self.bad = min(bad, total)
    }

    /// Both counts summed; they saturate rather than wrap.
    public func adding(_ other: EventCounts) -> EventCounts {
        EventCounts(total: total.saturatingAdding(other.total), bad: bad.saturatingAdding(other.bad))
    }

    /// How fast these events spend the budget: the share of bad events over the share the objective allows
    /// (1 spends exactly the budget over the period, 14.4 spends a 30-day budget in about two days); 0 without
    /// events. For display: decisions use `burns(atLeast:of:)`, which is exact.
    public func burnRate(of objective: ServiceObjective) -> Double {
        guard total > 0 else { return 0 }
        return (Double(bad) / Double(total)) / (Double(objective.budgetPerMillion) / 1_000_000)
    }

    /// Whether the burn rate is at least `factorTenths` / 10, compared in integers:
    /// bad × 10⁶ × 10 ≥ factorTenths × budget per million × total, both sides 128 bits wide. False without
    /// events.
    public func burns(atLeast factorTenths: UInt64, of objective: ServiceObjective) -> Bool {
        guard total > 0 else { return false }
        let left = bad.multipliedFullWidth(by: 10_000_000)
        let right = (factorTenths.saturatingMultiplied(by: UInt64(objective.budgetPerMillion)))
            .multipliedFullWidth(by: total)
        return (left.high, left.low) >= (right.high, right.low)
    }
}
