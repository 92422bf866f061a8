import Testing
import TokenScriptAnchorClient
import TokenScriptCluster
import TokenScriptClusterConformance

/// The anchor elects: the highest-ranked healthy host, by compare-and-swap on the epoch; the lease moves
/// when its holder stopped heartbeating and the lease ended, and the fenced-out holder can neither renew nor append.
@Suite("The anchor elects executors")
struct AnchorElectionTests {
    static let nodes = ["node-1", "node-2", "node-3"]

    @Test(
        """
        the highest-ranked healthy host is elected; when it stops heartbeating its lease stands until it ends, \
        then moves
        """
    )
    func electsAndMoves() async throws {
        try await AnchorFixture.with(leaseTerm: 30, nodeTimeout: 3) { fixture in
            var joined: [String: TestNode] = [:]
            for name in Self.nodes { joined[name] = try await fixture.join(name) }
            let ranking = RendezvousRanking.rank("ticket-1", over: Self.nodes.map { ServiceNode(id: $0) }).map(\.id)
            let asker = try #require(joined[ranking[2]])

            let first = try await asker.election.elect("ticket-1")
            #expect(first.holder == ranking[0])
            #expect(first.lease.epoch == 1)
            #expect(try await asker.election.elect("ticket-1") == first, "a live, healthy holder keeps its lease")

            // Everyone but the holder keeps beating; past the node timeout the holder is unhealthy.
            fixture.clock.advance(seconds: 4)
            for name in ranking.dropFirst() { try await joined[name]?.placement.heartbeat() }
            let hosts = try await asker.placement.hostingNodes(for: "ticket-1", replicas: 3)
            #expect(hosts.map(\.id) == Array(ranking.dropFirst()), "placement counts only healthy nodes")
            // A holder that stopped heartbeating may only be cut off: its lease stands until it ends.
            #expect(try await asker.election.elect("ticket-1") == first)
            fixture.clock.advance(seconds: 27)
            for name in ranking.dropFirst() { try await joined[name]?.placement.heartbeat() }
            let second = try await asker.election.elect("ticket-1")
            #expect(second.holder == ranking[1])
            #expect(second.lease.epoch > first.lease.epoch)

            let stale = try #require(joined[ranking[0]])
            await #expect(throws: StaleLeaseError.self) {
                try await stale.election.renew(first.lease, for: ranking[0])
            }
            let unsigned = AttestationLogConformance.attestation("order-1", topic: "order/ticket-1", type: "input")
            let staleOrder = try fixture.signed(unsigned, by: ranking[0])
            await #expect(throws: StaleLeaseError.self) {
                try await stale.log.append(staleOrder, fencedBy: first.lease)
            }
            #expect(try await fixture.anchor.log.head(of: "order/ticket-1") == 0)
            let holder = try #require(joined[ranking[1]])
            let bystander = try #require(joined[ranking[2]])
            let intruded = await #expect(throws: AnchorClientError.self) {
                try await bystander.log.append(try fixture.signed(unsigned, by: ranking[2]), fencedBy: second.lease)
            }
            #expect(intruded?.status == 403)
            #expect(intruded?.code == "not-the-holder")
            #expect(try await fixture.anchor.log.head(of: "order/ticket-1") == 0)
            let appended = try await holder.log.append(
                try fixture.signed(unsigned, by: ranking[1]), fencedBy: second.lease)
            #expect(appended.entry.position == 1)
            #expect(try await holder.election.renew(second.lease, for: ranking[1]).lease == second.lease)
            #expect(await asker.election.currentLease(of: "ticket-1") == second.lease)
        }
    }

    @Test(
        """
        changes/<instance> and retired/<instance> take only the executor's appends under a lease of that \
        instance: unfenced, fenced by another instance's lease, or by a bystander, each is 403 and nothing is logged
        """,
        arguments: ["changes/ins-1", "retired/ins-1"]
    )
    func executorTopicsTakeOnlyTheExecutor(topic: String) async throws {
        try await AnchorFixture.with(leaseTerm: 30, nodeTimeout: 3) { fixture in
            var joined: [String: TestNode] = [:]
            for name in Self.nodes { joined[name] = try await fixture.join(name) }
            let ranking = RendezvousRanking.rank("ins-1", over: Self.nodes.map { ServiceNode(id: $0) }).map(\.id)
            let holder = try #require(joined[ranking[0]])
            let bystander = try #require(joined[ranking[1]])
            let lease = try await holder.election.elect("ins-1").lease
            // Another instance the same node executes.
            let car = try #require(
                (1...100).map { "car-\($0)" }.first { id in
                    RendezvousRanking.rank(id, over: Self.nodes.map { ServiceNode(id: $0) }).first?.id == ranking[0]
                })
            let other = try await bystander.election.elect(car)
            #expect(other.holder == ranking[0])
            let change = AttestationLogConformance.attestation("change-1", topic: topic, type: "change")
            let signed = try fixture.signed(change, by: ranking[0])

            let unfenced = await #expect(throws: AnchorClientError.self) {
                try await holder.log.append(signed, fencedBy: nil)
            }
            #expect(unfenced?.status == 403)
            #expect(unfenced?.code == "unfenced-order")
            let misfenced = await #expect(throws: AnchorClientError.self) {
                try await holder.log.append(signed, fencedBy: other.lease)
            }
            #expect(misfenced?.status == 403)
            #expect(misfenced?.code == "fence-for-another-instance")
            let intruded = await #expect(throws: AnchorClientError.self) {
                try await bystander.log.append(try fixture.signed(change, by: ranking[1]), fencedBy: lease)
            }
            #expect(intruded?.status == 403)
            #expect(intruded?.code == "not-the-holder")
            #expect(try await fixture.anchor.log.head(of: topic) == 0)

            #expect(try await holder.log.append(signed, fencedBy: lease).entry.position == 1)
        }
    }

    @Test("with no healthy node, an election is refused 409 and no lease is written")
    func noHealthyHost() async throws {
        try await AnchorFixture.with { fixture in
            let node = try await fixture.join("node-1")
            fixture.clock.advance(seconds: 10)
            let error = await #expect(throws: AnchorClientError.self) { try await node.election.elect("ticket-1") }
            #expect(error?.status == 409)
            #expect(error?.code == "no-healthy-host")
            #expect(try await fixture.anchor.election.record(of: "ticket-1") == nil)
        }
    }

    @Test("a node renews and releases only its own lease; a release keeps the epoch for the next election")
    func renewAndRelease() async throws {
        try await AnchorFixture.with { fixture in
            let node = try await fixture.join("node-1")
            let other = try await fixture.join("node-2")
            try await fixture.operatorPlacement.pin("ticket-1", to: ["node-1"])
            let lease = try await node.election.elect("ticket-1")
            #expect(lease.holder == "node-1")
            await #expect(throws: StaleLeaseError.self) { try await other.election.renew(lease.lease, for: "node-2") }
            await #expect(throws: AnchorClientError.self) { try await other.election.renew(lease.lease, for: "node-1") }
            try await node.election.release(lease.lease, for: "node-1")
            #expect(await node.election.currentLease(of: "ticket-1") == nil)
            let next = try await other.election.elect("ticket-1")
            #expect(next.lease.epoch == 2)
            #expect(next.holder == "node-1", "the pinned node is elected again")
        }
    }

    @Test("a live, healthy executor pushed out of the instance's replicas by joining nodes loses its lease to a host")
    func executorFollowsPlacement() async throws {
        try await AnchorFixture.with(leaseTerm: 30) { fixture in
            let three = Self.nodes.map { ServiceNode(id: $0) }
            let six = three + (4...6).map { ServiceNode(id: "node-\($0)") }
            // An instance whose best of three is not among the best three of six.
            let instance = try #require(
                (1...500).map { "ticket-\($0)" }.first { id in
                    let first = RendezvousRanking.rank(id, over: three)[0]
                    return !RendezvousRanking.rank(id, over: six).prefix(3).contains(first)
                })
            var joined: [String: TestNode] = [:]
            for node in three { joined[node.id] = try await fixture.join(node.id) }
            let asker = try #require(joined["node-1"])
            let first = try await asker.election.elect(instance)
            #expect(first.holder == RendezvousRanking.rank(instance, over: three)[0].id)

            for node in six.dropFirst(3) { joined[node.id] = try await fixture.join(node.id) }
            #expect(try await asker.placement.membership().replicas == 3)
            let hosts = try await asker.placement.hostingNodes(for: instance, replicas: 3).map(\.id)
            #expect(!hosts.contains(first.holder ?? ""), "the holder is no longer a host")
            let second = try await asker.election.elect(instance)
            #expect(second.holder == hosts[0])
            #expect(second.lease.epoch > first.lease.epoch)
            let stale = try #require(joined[first.holder ?? ""])
            await #expect(throws: StaleLeaseError.self) {
                try await stale.election.renew(first.lease, for: first.holder ?? "")
            }
        }
    }
}
