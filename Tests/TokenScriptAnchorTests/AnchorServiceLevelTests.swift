import Testing
import TokenScriptAnchorClient
import TokenScriptCluster

/// The anchor acts on service levels: a node that keeps heartbeating but answers its probes too slowly burns
/// its budget, is relieved of its instances and its executor seat, and takes its instances back once its short
/// window recovers. The anchor's clock is a manual one, advanced a minute at a time; probes are handed to the
/// sweep as the probe service would.
@Suite("The anchor's service levels")
struct AnchorServiceLevelTests {
    static let names = ["node-1", "node-2", "node-3"]

    @Test("a slow node is relieved of its instances and its executor seat, and takes them back once it recovers")
    func slowNodeRelieved() async throws {
        try await AnchorFixture.with(leaseTerm: 3_600, nodeTimeout: 90) { fixture in
            var joined: [String: TestNode] = [:]
            for name in Self.names { joined[name] = try await fixture.join(name) }
            let ranking = RendezvousRanking.rank("ticket-1", over: Self.names.map { ServiceNode(id: $0) }).map(\.id)
            let slow = ranking[0]
            let asker = try #require(joined[ranking[2]])
            let first = try await asker.election.elect("ticket-1")
            #expect(first.holder == slow)

            // One minute: every node beats, and is probed twenty times; `slow`'s probes take 1.5 s when it is slow.
            func minute(slowing: Bool) async throws {
                fixture.clock.advance(seconds: 60)
                for node in joined.values { try await node.placement.heartbeat() }
                let now = fixture.clock.unixSeconds()
                let probes = Self.names.flatMap { name in
                    let latency: UInt64 = name == slow && slowing ? 1_500 : 20
                    return Array(
                        repeating: NodeSample(
                            node: name, time: now, observation: .call(latencyMilliseconds: latency, failed: false)),
                        count: 20)
                }
                await fixture.anchor.sweep(probes: probes)
            }
            for _ in 0..<10 { try await minute(slowing: false) }
            #expect(try await asker.placement.members().allSatisfy { $0.serviceLevel == nil && $0.weight == 1 })

            // Two slow minutes: 40 of 253 events bad in the hour (15.8 %), 40 of 105 in five minutes: a page.
            for _ in 0..<2 { try await minute(slowing: true) }
            let paging = try #require(try await asker.placement.members().first { $0.name == slow })
            #expect(paging.healthy, "it still heartbeats")
            #expect(paging.serviceLevel == "page")
            #expect(paging.weight == 0)
            let relieved = try await asker.placement.hostingNodes(for: "ticket-1", replicas: 3)
            #expect(relieved.map(\.id) == Array(ranking.dropFirst()), "only the instance's other hosts")
            let second = try await asker.election.elect("ticket-1")
            #expect(second.holder == ranking[1], "the executor seat moves to the next host by rank")
            #expect(second.lease.epoch > first.lease.epoch)

            let report = try await asker.anchoring.serviceLevels()
            let level = try #require(report.nodes.first { $0.node == slow })
            #expect(level.standing?.level == .page)
            #expect(level.standing?.rules.first?.short.counts == EventCounts(total: 105, bad: 40))
            #expect(level.record?.calls == 240)
            #expect(level.weight == 0)
            #expect(level.objective == .standard)
            #expect(report.rules == BurnRateRule.standard)
            #expect(report.lastFailure == nil)
            #expect(report.nodes.filter { $0.node != slow }.allSatisfy { $0.standing?.level == nil })

            // Five good minutes: the five-minute window is clean, the page ends; the ticket rule (30 minutes) still
            // fires, which leaves a node of capacity 1 its weight of 1: it hosts the instance again.
            for _ in 0..<5 { try await minute(slowing: false) }
            let recovering = try #require(try await asker.placement.members().first { $0.name == slow })
            #expect(recovering.serviceLevel == "ticket")
            #expect(recovering.weight == 1)
            #expect(try await asker.placement.hostingNodes(for: "ticket-1", replicas: 3).map(\.id) == ranking)
            #expect(try await asker.election.elect("ticket-1") == second, "a live, healthy holder keeps its seat")
        }
    }

    @Test("a node that stops heartbeating counts down once, not once per sweep, and is not relieved when it is back")
    func outageCountsOnce() async throws {
        try await AnchorFixture.with(leaseTerm: 3_600, nodeTimeout: 3) { fixture in
            let node = try await fixture.join("node-1")
            await fixture.anchor.sweep()
            for _ in 0..<30 {
                fixture.clock.advance(seconds: 10)
                await fixture.anchor.sweep()
            }
            try await node.placement.heartbeat()
            await fixture.anchor.sweep()
            let record = try #require(try await node.anchoring.serviceLevels().nodes.first)
            #expect(record.record?.probesDown == 1)
            #expect(record.standing?.level == nil)
            #expect(record.weight == 1)
        }
    }
}
