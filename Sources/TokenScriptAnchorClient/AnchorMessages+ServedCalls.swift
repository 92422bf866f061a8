extension AnchorMessages {
    /// `POST /v1/served-calls`: a node's own account of the calls it answered since its last report, which the
    /// anchor records next to what its own probes see (an anchor does not take a node's word alone: a node that
    /// reports only good calls is still judged by its probes; one that reports bad ones spends its own budget).
    ///
    /// Latencies are rounded up to one of `bounds`, so a report is a few counters whatever the traffic; the
    /// anchor judges a call slow when its bound exceeds the node's objective latency (at the objective's own
    /// bound, 1000 ms by default, exactly).
    public struct ServedCalls: Codable, Sendable, Hashable {
        /// Answered calls, by the bound their latency was rounded up to.
        public var answered: [LatencyCount]
        /// Calls answered with a server error (5xx).
        public var failed: UInt64

        /// The latency bounds, in milliseconds; anything slower is counted at the last one.
        public static let bounds: [UInt64] = [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 60_000]
        /// The most calls one report may carry (each becomes one observation).
        public static let maximumCalls: UInt64 = 100_000

        public init(answered: [LatencyCount], failed: UInt64) {
            self.answered = answered
            self.failed = failed
        }

        /// Every call of the report, saturating.
        public var total: UInt64 {
            answered.reduce(failed) { sum, entry in
                sum.addingReportingOverflow(entry.count).overflow ? .max : sum + entry.count
            }
        }

        /// The bound `milliseconds` is counted at.
        public static func bound(of milliseconds: UInt64) -> UInt64 {
            bounds.first { milliseconds <= $0 } ?? bounds[bounds.count - 1]
        }
    }

    /// How many calls were answered within one latency bound.
    public struct LatencyCount: Codable, Sendable, Hashable {
        public var latencyMilliseconds: UInt64
        public var count: UInt64

        public init(latencyMilliseconds: UInt64, count: UInt64) {
            self.latencyMilliseconds = latencyMilliseconds
            self.count = count
        }
    }

    /// The answer: how many calls were recorded.
    public struct ServedCallsAnswer: Codable, Sendable {
        public var status = "ok"
        public var recorded: UInt64

        public init(recorded: UInt64) { self.recorded = recorded }
    }
}
