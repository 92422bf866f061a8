import Testing
import TokenScriptCluster

@Suite("NodeRecord")
struct NodeRecordTests {
    @Test("latency totals saturate instead of wrapping")
    func latencySaturates() {
        let huge = NodeSample(node: "n", time: 1, observation: .call(latencyMilliseconds: .max - 1, failed: false))
        let record = NodeRecord(node: "n").adding(huge).adding(huge)
        #expect(record.totalLatencyMilliseconds == .max)
        #expect(record.calls == 2)
    }

    @Test("an older probe recorded late does not replace the latest one")
    func lateProbe() {
        let record = NodeRecord(node: "n")
            .adding(NodeSample(node: "n", time: 50, observation: .availability(up: false)))
            .adding(NodeSample(node: "n", time: 20, observation: .availability(up: true)))
        #expect(record.lastProbeUp == false)
        #expect(record.lastProbeAt == 50)
        #expect(record.lastSampleAt == 50)
        #expect(record.probes == 2)
    }
}
