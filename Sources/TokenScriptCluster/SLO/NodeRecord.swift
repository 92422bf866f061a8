import TokenScriptArithmetic

/// A node's counters, summed over every sample recorded for it: what placement and election read.
///
/// Counters saturate rather than wrap. These are totals since the first sample; burn rates over time windows
/// are `SLOStanding`'s.
public struct NodeRecord: Sendable, Hashable, Codable {
    public var node: String
    public var probes: UInt64 = 0
    public var probesDown: UInt64 = 0
    /// The latest probe by sample time (the later-recorded one on a tie); nil before the first.
    public var lastProbeUp: Bool?
    /// The sample time of `lastProbeUp`.
    public var lastProbeAt: UInt64?
    public var calls: UInt64 = 0
    public var failedCalls: UInt64 = 0
    public var totalLatencyMilliseconds: UInt64 = 0
    public var maximumLatencyMilliseconds: UInt64 = 0
    public var routings: UInt64 = 0
    /// State-hash mismatches reported against the node.
    public var mismatches: UInt64 = 0
    /// The latest sample time seen; samples may arrive out of order.
    public var lastSampleAt: UInt64 = 0

    public init(node: String) { self.node = node }

    /// The record with `sample` counted in.
    public func adding(_ sample: NodeSample) -> NodeRecord {
        var next = self
        next.lastSampleAt = max(lastSampleAt, sample.time)
        switch sample.observation {
        case .availability(let up):
            next.probes = probes.saturatingAdding(1)
            if !up { next.probesDown = probesDown.saturatingAdding(1) }
            if sample.time >= lastProbeAt ?? 0 {
                next.lastProbeUp = up
                next.lastProbeAt = sample.time
            }
        case .call(let latency, let failed):
            next.calls = calls.saturatingAdding(1)
            if failed { next.failedCalls = failedCalls.saturatingAdding(1) }
            next.totalLatencyMilliseconds = totalLatencyMilliseconds.saturatingAdding(latency)
            next.maximumLatencyMilliseconds = max(maximumLatencyMilliseconds, latency)
        case .routing:
            next.routings = routings.saturatingAdding(1)
        case .mismatch:
            next.mismatches = mismatches.saturatingAdding(1)
        }
        return next
    }
}
