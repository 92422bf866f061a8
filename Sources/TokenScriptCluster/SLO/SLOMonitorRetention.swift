/// How many minutes of events a store keeps per node: the objective's period, and never less than the standard
/// rules' longest window.
public enum SLOMonitorRetention {
    public static func minutes(objective: ServiceObjective) -> UInt64 {
        let longest = BurnRateRule.standard.map(\.longSeconds).max() ?? 0
        return max(objective.periodSeconds, longest) / 60 + 1
    }
}
