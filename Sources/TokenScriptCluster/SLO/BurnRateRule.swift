/// One multi-window burn-rate alert: it fires while the budget burns at least `factorTenths` / 10 times too fast
/// over both its long window (the burn is real, not a blip) and its short one (it is still going on, so the
/// alert ends soon after the node recovers, not an hour later). The two standard rules are those of Google's
/// SRE workbook for a 30-day 99.9 % objective.
public struct BurnRateRule: Sendable, Hashable, Codable {
    /// How urgent a firing rule is; a page outranks a ticket.
    public enum Level: String, Sendable, Hashable, Codable, Comparable {
        case ticket
        case page

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs == .ticket && rhs == .page }
    }

    public var level: Level
    /// The burn rate, in tenths: 144 is 14.4×.
    public var factorTenths: UInt64
    public var longSeconds: UInt64
    public var shortSeconds: UInt64
    /// Bad events the short window must hold before the rule fires: with few events a single lost probe is a
    /// large share (one in ten is 100x a 0.1 % budget), and a node killed or paused fails a few probes before
    /// its missed heartbeats take it out of placement: no evidence that it serves badly once it is back. A slow
    /// or lossy node, probed every second, passes ten within a minute.
    public var minimumBadEvents: UInt64

    public init(
        level: Level, factorTenths: UInt64, longSeconds: UInt64, shortSeconds: UInt64,
        minimumBadEvents: UInt64 = BurnRateRule.defaultMinimumBadEvents
    ) {
        self.level = level
        self.factorTenths = factorTenths
        self.longSeconds = longSeconds
        self.shortSeconds = shortSeconds
        self.minimumBadEvents = minimumBadEvents
    }

    public static let defaultMinimumBadEvents: UInt64 = 10

    /// 14.4× over one hour and five minutes: 2 % of a 30-day budget gone in an hour.
    public static let page = BurnRateRule(level: .page, factorTenths: 144, longSeconds: 3_600, shortSeconds: 300)
    /// 6× over six hours and thirty minutes: 5 % of a 30-day budget gone in six hours.
    public static let ticket = BurnRateRule(level: .ticket, factorTenths: 60, longSeconds: 21_600, shortSeconds: 1_800)
    public static let standard: [BurnRateRule] = [.page, .ticket]
}
