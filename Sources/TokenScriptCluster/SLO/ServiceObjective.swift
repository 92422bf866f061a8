/// What a service node promises its anchors: the share of good events over a budget period.
///
/// An event is a probe of the node, a call it served, a call an anchor had to route because the node could not
/// perform it, or a state-hash mismatch reported against it; `NodeSample.isBad(under:)` says which are bad. The
/// error budget is the share of bad events the objective allows: 0.1 % for 99.9 %. Kept as integers (parts per
/// million), so every anchor compares burn rates exactly and alike.
public struct ServiceObjective: Sendable, Hashable, Codable {
    /// Good events per million, 1 to 999,999: 999,000 is 99.9 %.
    public let goodPerMillion: UInt32
    /// A call that took longer than this is a bad event even when it succeeded.
    public let latencyMilliseconds: UInt64
    /// The period the budget is spent over; `SLOStanding.budgetSpent` counts the events of this period.
    public let periodSeconds: UInt64

    /// - Throws: `SLOMonitorError.invalidObjective` naming the field that is out of range.
    public init(goodPerMillion: UInt32, latencyMilliseconds: UInt64, periodSeconds: UInt64) throws(SLOMonitorError) {
        guard goodPerMillion > 0, goodPerMillion < 1_000_000 else {
            throw .invalidObjective(
                field: "goodPerMillion", reason: "must be between 1 and 999999, not \(goodPerMillion)")
        }
        guard latencyMilliseconds > 0 else {
            throw .invalidObjective(field: "latencyMilliseconds", reason: "must be at least 1")
        }
        // A period shorter than the longest burn-rate window would count less than the alert looks at.
        guard periodSeconds >= Self.shortestPeriodSeconds, periodSeconds <= Self.longestPeriodSeconds else {
            throw .invalidObjective(
                field: "periodSeconds",
                reason: "must be between \(Self.shortestPeriodSeconds) and \(Self.longestPeriodSeconds), "
                    + "not \(periodSeconds)")
        }
        self.goodPerMillion = goodPerMillion
        self.latencyMilliseconds = latencyMilliseconds
        self.periodSeconds = periodSeconds
    }

    /// 99.9 % of events good, calls within one second, over 30 days: what a node is held to unless set otherwise.
    public static let standard = try! ServiceObjective(
        goodPerMillion: 999_000, latencyMilliseconds: 1_000, periodSeconds: 30 * 86_400)

    /// The error budget: bad events per million the objective allows.
    public var budgetPerMillion: UInt32 { 1_000_000 - goodPerMillion }

    /// The ticket rule's long window: a period must cover it.
    public static let shortestPeriodSeconds: UInt64 = 6 * 3_600
    /// A year: kept small enough that a period in minutes is a bounded number of buckets.
    public static let longestPeriodSeconds: UInt64 = 366 * 86_400
}
