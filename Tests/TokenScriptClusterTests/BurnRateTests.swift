import Testing
import TokenScriptCluster

/// The arithmetic under every standing: exact thresholds, no overflow at the extremes, windows at the epoch.
@Suite("Burn rates")
struct BurnRateTests {
    @Test("a burn exactly at the rule's rate fires, one bad event less does not")
    func exactThreshold() {
        // 144 bad in 10,000 under a 0.1 % budget is 14.4x exactly; Double would round 0.0144 / 0.001.
        #expect(EventCounts(total: 10_000, bad: 144).burns(atLeast: 144, of: .standard))
        #expect(!EventCounts(total: 10_000, bad: 143).burns(atLeast: 144, of: .standard))
        #expect(!EventCounts().burns(atLeast: 1, of: .standard), "no events burn nothing")
        #expect(EventCounts(total: 10_000, bad: 144).burnRate(of: .standard) > 14.39)
    }

    @Test("counts at the limits of 64 bits compare without overflow and saturate when added")
    func extremes() {
        let all = EventCounts(total: .max, bad: .max)
        // Every event bad under a 0.1 % budget is 1,000x: exactly, at the top of the range.
        #expect(all.burns(atLeast: 10_000, of: .standard))
        #expect(!all.burns(atLeast: 10_001, of: .standard))
        #expect(!EventCounts(total: .max, bad: 1).burns(atLeast: 1, of: .standard))
        #expect(all.adding(all) == all)
        #expect(EventCounts(total: 1, bad: 5) == EventCounts(total: 1, bad: 1), "bad never exceeds total")
    }

    @Test("windows are whole minutes ending with the current one, and start at minute 0 at the earliest")
    func windows() {
        #expect(EventSeries.minutes(seconds: 300, endingAt: 600) == 6..<11)
        #expect(EventSeries.minutes(seconds: 300, endingAt: 659) == 6..<11)
        #expect(EventSeries.minutes(seconds: 3_600, endingAt: 30) == 0..<1)
        #expect(EventSeries.minutes(seconds: 10, endingAt: 120) == 2..<3, "a window shorter than a minute is one")
        var series = EventSeries()
        series.record(bad: true, at: 0)
        series.record(bad: false, at: 61)
        #expect(series.counts(seconds: 120, endingAt: 61) == EventCounts(total: 2, bad: 1))
        #expect(series.counts(seconds: 60, endingAt: 61) == EventCounts(total: 1, bad: 0))
        series.forget(before: 1)
        #expect(series.counts(seconds: 120, endingAt: 61) == EventCounts(total: 1, bad: 0))
    }

    @Test("an objective out of range is refused, naming the field")
    func invalidObjectives() {
        let cases: [(UInt32, UInt64, UInt64, String)] = [
            (0, 1_000, 86_400, "goodPerMillion"), (1_000_000, 1_000, 86_400, "goodPerMillion"),
            (999_000, 0, 86_400, "latencyMilliseconds"), (999_000, 1_000, 3_600, "periodSeconds"),
            (999_000, 1_000, .max, "periodSeconds"),
        ]
        for (good, latency, period, field) in cases {
            let error = #expect(throws: SLOMonitorError.self) {
                try ServiceObjective(goodPerMillion: good, latencyMilliseconds: latency, periodSeconds: period)
            }
            guard case .invalidObjective(let named, _)? = error else {
                Issue.record("no invalidObjective for \(good), \(latency), \(period)")
                continue
            }
            #expect(named == field)
            #expect(error?.description.contains(field) == true)
        }
    }

    @Test("a standing takes the most urgent firing rule")
    func mostUrgent() throws {
        // 30 bad in 1,000 events in every window: 30x, over both rules' rates.
        let counts = EventCounts(total: 1_000, bad: 30)
        let windows = SLOStanding.windows(of: BurnRateRule.standard, objective: .standard)
        #expect(windows == Set<UInt64>([300, 1_800, 3_600, 21_600, 30 * 86_400]))
        let standing = SLOStanding(
            node: "n", time: 0, objective: .standard, rules: [.ticket, .page],
            counts: Dictionary(uniqueKeysWithValues: windows.map { ($0, counts) }))
        #expect(standing.rules.map(\.firing) == [true, true])
        #expect(standing.level == .page)
        #expect(abs(standing.budgetSpent - 30) < 1e-9)
    }
}
