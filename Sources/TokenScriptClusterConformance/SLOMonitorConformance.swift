import TokenScriptCluster

/// The rules of `SLOMonitor`: each sample counted once into its node's record; standings in `+BurnRate`.
public enum SLOMonitorConformance {
    public static let checks: [ConformanceCheck<any SLOMonitor>] =
        [
            ConformanceCheck("samples add up per node", run: countsPerNode),
            ConformanceCheck("concurrent samples are all counted", run: concurrentSamples),
            ConformanceCheck("a sample without a node is refused", run: emptyNode),
        ] + burnRateChecks

    static let expect = Expectations(protocolName: "SLOMonitor")

    static func countsPerNode(_ monitor: any SLOMonitor) async throws {
        try expect.equal(try await monitor.record(of: "node-1"), nil, "record before any sample")
        let samples: [NodeSample] = [
            NodeSample(node: "node-1", time: 100, observation: .availability(up: true)),
            NodeSample(node: "node-1", time: 160, observation: .availability(up: false)),
            NodeSample(node: "node-1", time: 130, observation: .availability(up: true)),
            NodeSample(node: "node-1", time: 110, observation: .call(latencyMilliseconds: 40, failed: false)),
            NodeSample(node: "node-1", time: 120, observation: .call(latencyMilliseconds: 900, failed: true)),
            NodeSample(node: "node-1", time: 125, observation: .routing(instance: "ticket-1")),
            NodeSample(node: "node-2", time: 150, observation: .call(latencyMilliseconds: 5, failed: false)),
        ]
        for sample in samples { try await monitor.record(sample) }
        var expected = NodeRecord(node: "node-1")
        for sample in samples where sample.node == "node-1" { expected = expected.adding(sample) }
        let record = try await monitor.record(of: "node-1")
        try expect.equal(record, expected, "record of node-1")
        try expect.equal(record?.probes, 3, "probes of node-1")
        try expect.equal(record?.probesDown, 1, "probes down of node-1")
        try expect.equal(record?.lastProbeUp, false, "latest probe of node-1 (time 160, recorded before time 130)")
        try expect.equal(record?.calls, 2, "calls of node-1")
        try expect.equal(record?.failedCalls, 1, "failed calls of node-1")
        try expect.equal(record?.totalLatencyMilliseconds, 940, "total latency of node-1")
        try expect.equal(record?.maximumLatencyMilliseconds, 900, "maximum latency of node-1")
        try expect.equal(record?.routings, 1, "routings of node-1")
        try expect.equal(record?.lastSampleAt, 160, "last sample time of node-1")
        try expect.equal(try await monitor.record(of: "node-2")?.calls, 1, "calls of node-2")
    }

    static func concurrentSamples(_ monitor: any SLOMonitor) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask {
                    for index in 0..<20 {
                        let observation = NodeSample.Observation.call(latencyMilliseconds: 1, failed: index % 4 == 0)
                        let sample = NodeSample(node: "node-1", time: UInt64(task), observation: observation)
                        try await monitor.record(sample)
                    }
                }
            }
            try await group.waitForAll()
        }
        let record = try await monitor.record(of: "node-1")
        try expect.equal(record?.calls, 320, "calls after 16 tasks recorded 20 each")
        try expect.equal(record?.failedCalls, 80, "failed calls after 16 tasks recorded 5 each")
        try expect.equal(record?.totalLatencyMilliseconds, 320, "total latency after 320 calls of 1 ms")
    }

    static func emptyNode(_ monitor: any SLOMonitor) async throws {
        try await expect.refuses(
            "record a sample without a node", expected: "SLOMonitorError.emptyNode",
            matches: { $0 as? SLOMonitorError == .emptyNode }
        ) { try await monitor.record(NodeSample(node: "", time: 1, observation: .availability(up: true))) }
        try expect.equal(try await monitor.record(of: ""), nil, "record of the empty node")
    }
}
