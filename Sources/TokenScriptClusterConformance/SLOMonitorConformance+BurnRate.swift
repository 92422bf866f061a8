import TokenScriptCluster
import TokenScriptEngine

/// The rules of `SLOMonitor`'s standings: events per minute, the windows of the burn-rate rules, their
/// thresholds, recovery, the objective per node and the budget's period. Times come from a manual clock.
extension SLOMonitorConformance {
    static let burnRateChecks: [ConformanceCheck<any SLOMonitor>] = [
        ConformanceCheck("a page needs both windows and ends when the short one recovers", run: pageAndRecovery),
        ConformanceCheck("a burst in the short window alone pages nobody", run: burstAlone),
        ConformanceCheck("slow calls are bad against the node's own latency objective", run: latencyObjective),
        ConformanceCheck("the budget counts the objective's period only", run: budgetPeriod),
        ConformanceCheck("late samples land in their own minute", run: lateSamples),
        ConformanceCheck("a few lost probes of a quiet node page nobody", run: quietNode),
    ]

    /// A minute boundary: 28,333,333 minutes after the epoch.
    static let start: UInt64 = 1_699_999_980

    /// `good` good calls and `bad` failed ones in the clock's current minute, recorded as one batch, then the clock
    /// one minute on.
    static func minute(
        _ monitor: any SLOMonitor, _ clock: ManualClock, node: String = "node-1", good: Int, bad: Int = 0
    )
        async throws
    {
        let time = clock.unixSeconds()
        let samples =
            Array(
                repeating: NodeSample(
                    node: node, time: time, observation: .call(latencyMilliseconds: 10, failed: false)), count: good)
            + Array(
                repeating: NodeSample(
                    node: node, time: time, observation: .call(latencyMilliseconds: 10, failed: true)), count: bad)
        try await monitor.record(samples)
        clock.advance(seconds: 60)
    }

    /// The standing at the last second of the minute before the clock's.
    static func standing(_ monitor: any SLOMonitor, _ clock: ManualClock, node: String = "node-1") async throws
        -> SLOStanding
    {
        let time = clock.unixSeconds() - 1
        guard let standing = try await monitor.standing(of: node, at: time, rules: BurnRateRule.standard) else {
            throw expect.fail("standing of \(node) at \(time)", "nil after samples were recorded")
        }
        return standing
    }

    static func pageAndRecovery(_ monitor: any SLOMonitor) async throws {
        try expect.equal(
            try await monitor.standing(of: "node-1", at: start, rules: BurnRateRule.standard), nil,
            "standing before any sample")
        let clock = ManualClock(unixSeconds: start)
        // An hour of 100 good calls a minute; the last ten minutes add 10 failed calls each.
        for index in 0..<60 { try await minute(monitor, clock, good: 100, bad: index >= 50 ? 10 : 0) }
        var now = try await standing(monitor, clock)
        // Page: 1 h = 6,100 events, 100 bad (16.4x); 5 min = 550, 50 bad (90.9x). Ticket: 6 h as 1 h; 30 min
        // = 3,100, 100 bad (32.3x).
        try expect.equal(now.rules.map(\.rule), BurnRateRule.standard, "rules of the standing")
        try expect.equal(now.rules[0].long.counts, EventCounts(total: 6_100, bad: 100), "page rule, 1 h window")
        try expect.equal(now.rules[0].short.counts, EventCounts(total: 550, bad: 50), "page rule, 5 min window")
        try expect.equal(now.rules[1].long.counts, EventCounts(total: 6_100, bad: 100), "ticket rule, 6 h window")
        try expect.equal(now.rules[1].short.counts, EventCounts(total: 3_100, bad: 100), "ticket rule, 30 min window")
        try expect.equal(now.rules.map(\.firing), [true, true], "rules firing after the burn")
        try expect.equal(now.level, .page, "level after the burn")
        // Five clean minutes: the 5-minute window recovers while the hour still burns at 16.4x, so the page
        // ends; the ticket's 30 minutes still hold all 100 failures.
        for _ in 0..<5 { try await minute(monitor, clock, good: 100) }
        now = try await standing(monitor, clock)
        try expect.equal(now.rules[0].long.counts, EventCounts(total: 6_100, bad: 100), "page rule, 1 h, recovering")
        try expect.equal(now.rules[0].short.counts, EventCounts(total: 500, bad: 0), "page rule, 5 min, recovering")
        try expect.equal(now.rules.map(\.firing), [false, true], "rules firing five minutes later")
        try expect.equal(now.level, .ticket, "level five minutes later")
        // Thirty clean minutes more: the ticket's short window holds no failure either.
        for _ in 0..<30 { try await minute(monitor, clock, good: 100) }
        now = try await standing(monitor, clock)
        try expect.equal(now.rules[1].short.counts, EventCounts(total: 3_000, bad: 0), "ticket rule, 30 min, recovered")
        try expect.equal(now.level, nil, "level once recovered")
        try expect.equal(now.period.counts, EventCounts(total: 9_600, bad: 100), "events of the period")
    }

    static func burstAlone(_ monitor: any SLOMonitor) async throws {
        let clock = ManualClock(unixSeconds: start)
        // Ten failures in the last minute of a good hour: 19.6x over 5 minutes, 1.66x over the hour.
        for index in 0..<60 { try await minute(monitor, clock, good: 100, bad: index == 59 ? 10 : 0) }
        let now = try await standing(monitor, clock)
        try expect.equal(now.rules[0].short.counts, EventCounts(total: 510, bad: 10), "page rule, 5 min window")
        try expect.require(
            now.rules[0].short.counts.burns(atLeast: 144, of: now.objective), "page rule, 5 min window",
            "a burn of \(now.rules[0].short.burnRate) should reach 14.4")
        try expect.equal(now.rules.map(\.firing), [false, false], "rules firing after a burst")
        try expect.equal(now.level, nil, "level after a burst")
    }

    static func latencyObjective(_ monitor: any SLOMonitor) async throws {
        try expect.equal(try await monitor.objective(of: "node-1"), .standard, "objective before one is set")
        let strict = try ServiceObjective(goodPerMillion: 990_000, latencyMilliseconds: 200, periodSeconds: 86_400)
        try await monitor.setObjective(strict, for: "node-1")
        try expect.equal(try await monitor.objective(of: "node-1"), strict, "objective once set")
        try expect.equal(try await monitor.objective(of: "node-2"), .standard, "objective of another node")
        for node in ["node-1", "node-2"] {
            for latency: UInt64 in [200, 300, 1_500] {
                let sample = NodeSample(
                    node: node, time: start, observation: .call(latencyMilliseconds: latency, failed: false))
                try await monitor.record(sample)
            }
        }
        // node-1: over 200 ms is bad (300, 1,500); node-2, standard: over 1,000 ms (1,500).
        let one = try await monitor.standing(of: "node-1", at: start, rules: BurnRateRule.standard)
        let two = try await monitor.standing(of: "node-2", at: start, rules: BurnRateRule.standard)
        try expect.equal(one?.objective, strict, "objective of node-1's standing")
        try expect.equal(one?.period.counts, EventCounts(total: 3, bad: 2), "node-1's events")
        try expect.equal(one?.period.seconds, 86_400, "node-1's period")
        try expect.equal(two?.period.counts, EventCounts(total: 3, bad: 1), "node-2's events")
        try await expect.refuses(
            "set an objective for the empty node", expected: "SLOMonitorError.emptyNode",
            matches: { $0 as? SLOMonitorError == .emptyNode }
        ) { try await monitor.setObjective(strict, for: "") }
    }

    static func budgetPeriod(_ monitor: any SLOMonitor) async throws {
        let sixHours = try ServiceObjective(goodPerMillion: 999_000, latencyMilliseconds: 1_000, periodSeconds: 21_600)
        try await monitor.setObjective(sixHours, for: "node-1")
        let clock = ManualClock(unixSeconds: start)
        // One bad event in a thousand spends exactly the 0.1 % budget.
        try await minute(monitor, clock, good: 999, bad: 1)
        var now = try await standing(monitor, clock)
        try expect.equal(now.period.counts, EventCounts(total: 1_000, bad: 1), "events of the period")
        try expect.equal(now.budgetSpent, 1, "budget spent")
        // Seven hours later the first minute is out of the period.
        clock.advance(seconds: 7 * 3_600)
        try await minute(monitor, clock, good: 500)
        now = try await standing(monitor, clock)
        try expect.equal(now.period.counts, EventCounts(total: 500, bad: 0), "events of the period 7 h later")
        try expect.equal(now.budgetSpent, 0, "budget spent 7 h later")
        try expect.equal(try await monitor.record(of: "node-1")?.calls, 1_500, "calls counted since the start")
    }

    static func lateSamples(_ monitor: any SLOMonitor) async throws {
        let failed = NodeSample.Observation.call(latencyMilliseconds: 10, failed: true)
        try await monitor.record(NodeSample(node: "node-1", time: start + 600, observation: failed))
        try await monitor.record(NodeSample(node: "node-1", time: start + 59, observation: .availability(up: false)))
        try await monitor.record(NodeSample(node: "node-1", time: start, observation: .availability(up: true)))
        let early = try await monitor.standing(of: "node-1", at: start + 60, rules: [.page])
        try expect.equal(early?.rules.first?.short.counts, EventCounts(total: 2, bad: 1), "5 min window at +60 s")
        let later = try await monitor.standing(of: "node-1", at: start + 600, rules: [.page])
        // At +600 s the 5-minute window is minutes 6 to 10: only the failed call.
        try expect.equal(later?.rules.first?.short.counts, EventCounts(total: 1, bad: 1), "5 min window at +600 s")
        try expect.equal(later?.rules.first?.long.counts, EventCounts(total: 3, bad: 2), "1 h window at +600 s")
    }

    static func quietNode(_ monitor: any SLOMonitor) async throws {
        // Twenty probes, nine lost: 45 % bad is 450x the budget, but nine bad events are below the rules' minimum.
        for index in 0..<20 {
            let sample = NodeSample(
                node: "node-1", time: start + UInt64(index), observation: .availability(up: index >= 9))
            try await monitor.record(sample)
        }
        var now = try await monitor.standing(of: "node-1", at: start + 20, rules: BurnRateRule.standard)
        try expect.equal(now?.rules.first?.short.counts, EventCounts(total: 20, bad: 9), "5 min window")
        try expect.equal(now?.level, nil, "level after nine lost probes")
        try await monitor.record(NodeSample(node: "node-1", time: start + 21, observation: .availability(up: false)))
        now = try await monitor.standing(of: "node-1", at: start + 21, rules: BurnRateRule.standard)
        try expect.equal(now?.level, .page, "level after the tenth")
    }
}
