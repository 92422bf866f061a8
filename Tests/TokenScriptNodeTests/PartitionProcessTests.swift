import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptJSON
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// Partitions, with every process on a host of its own: `tokenscript anchor` and the nodes each in a Linux network
/// namespace joined to one bridge (`NetworkNamespaces`), and links cut, blackholed or slowed under them.
@Suite("Partitions: nodes in network namespaces", .serialized, .needsNetworkNamespaces)
struct PartitionProcessTests {
    @Test(
        """
        the executor cut off from the anchor drops its lease and orders nothing more; a host is elected only when \
        the lease ended, and the order log holds the old executor's records, then the new one's; healed, the old \
        executor catches up and every host has the same state hash, each input applied once
        """
    )
    func executorCutOff() async throws {
        let network = try await NamespacedNetwork.start(nodes: 3)
        defer { network.stopAll() }
        try await network.createTicket(on: 0)
        try await network.postStatus(0, to: 0)
        _ = try await network.views(at: 1, on: [0, 1, 2])

        let election = RemoteElection(connection: try network.connection(as: 1))
        let first = try #require(try await election.record(of: "ticket-1"))
        let executor = try #require(network.names.firstIndex(of: first.holder ?? ""))
        let others = [0, 1, 2].filter { $0 != executor }
        try await network.namespaces.separate(network.nodeHosts[executor], from: network.anchorHost)
        // No renewal gets through any more: this is where the old executor's lease ends.
        let last = try #require(try await election.record(of: "ticket-1"))
        #expect(last.lease == first.lease)

        // An input arrives at another host: it is ordered only once a host is elected, after the old lease ended.
        try await network.postStatus(1, to: others[0])
        var second = last
        let deadline = Date().addingTimeInterval(60)
        while second.lease == last.lease, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            second = try #require(try await election.record(of: "ticket-1"))
        }
        let electedBy = UInt64(Date().timeIntervalSince1970)
        #expect(second.holder != first.holder)
        #expect(second.lease.epoch > first.lease.epoch)
        #expect(
            electedBy >= last.expiresAt, "a host was elected at \(electedBy), the old lease ran to \(last.expiresAt)")
        let views = try await network.views(at: 2, on: others, seconds: 60)
        #expect(Set(views.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        // The cut-off executor drops its lease by the time it ends (its renewal got no answer).
        let dropped = Date().addingTimeInterval(10)
        while !network.nodes[executor].errorOutput.contains("executor lease lost"), Date() < dropped {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(
            network.nodes[executor].errorOutput.contains("executor lease lost"),
            "the cut-off executor dropped its lease: \(network.nodes[executor].errorOutput.suffix(2_000))")

        // Healed: the old executor reads what it missed; a third input reaches everyone.
        try await network.namespaces.separate(network.nodeHosts[executor], from: network.anchorHost, false)
        try await network.postStatus(2, to: executor)
        let healed = try await network.views(at: 3, on: [0, 1, 2], seconds: 60)
        #expect(Set(healed.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)

        // The order log: each input once, the old executor's records before the new one's.
        let log = RemoteAttestationLog(connection: try network.connection(as: 1))
        let order = try await log.entries(topic: "order/ticket-1", from: 1, limit: 100)
        #expect(order.count == 3)
        let inputs = order.compactMap { entry -> String? in
            guard let topic = entry.attestation.payload["topic"]?.stringValue,
                let position = entry.attestation.payload["position"]?.integerValue
            else { return nil }
            return "\(topic)#\(position)"
        }
        #expect(Set(inputs).count == 3, "each input ordered once: \(inputs)")
        let keys = try (1...3).map { try Ed25519AttestationSigner(seed: ProcessNetwork.seed(node: $0)).issuer }
        let signers = order.map { entry in keys.firstIndex(of: entry.attestation.issuer) ?? -1 }
        #expect(signers.first == executor)
        #expect(
            signers.dropFirst().allSatisfy { $0 != executor && $0 >= 0 },
            "no record of the old executor after the cut: \(signers)")
        #expect(try await network.anchoring().evidence().isEmpty, "no host reported a differing state hash")
        for child in network.children { #expect(try await child.terminate() == 0) }
    }

    @Test(
        """
        a node behind a slow, lossy link keeps heartbeating but fails the anchor's probes: its burn rate pages, \
        its weight drops to 0 and its instances are placed on the other nodes, which go on applying inputs
        """
    )
    func slowNodeRelieved() async throws {
        // Heartbeats may take seconds over the slow link: the node stays healthy, its probes fail.
        let network = try await NamespacedNetwork.start(
            nodes: 4, anchorArguments: ["--node-timeout", "10", "--lease-term", "6"])
        defer { network.stopAll() }
        try await network.createTicket(on: 0)
        let placement = RemotePlacement(connection: try network.connection(as: 1), url: "")
        let before = try await placement.hostingNodes(for: "ticket-1", replicas: 3).map(\.id)
        let slow = try #require(network.names.firstIndex(of: before[0]), "the ticket's executor is made slow")

        try await network.namespaces.degrade(network.nodeHosts[slow], delayMilliseconds: 4_000, lossPercent: 20)
        let degradedAt = Date()
        var members: [AnchorMessages.Member] = []
        while true {
            members = try await placement.members()
            if members.first(where: { $0.name == network.names[slow] })?.serviceLevel == "page" { break }
            guard Date().timeIntervalSince(degradedAt) < 120 else {
                Issue.record("\(network.names[slow]) never paged: \(members)")
                return
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let paged = Date().timeIntervalSince(degradedAt)
        let member = try #require(members.first { $0.name == network.names[slow] })
        #expect(member.weight == 0)
        let after = try await placement.hostingNodes(for: "ticket-1", replicas: 3).map(\.id)
        #expect(!after.contains(network.names[slow]), "relieved of ticket-1: \(after)")
        #expect(after.count == 3)

        // The ticket lives on without it: an input posted to a remaining host is applied by all three.
        let remaining = after.compactMap { network.names.firstIndex(of: $0) }
        try await network.postStatus(0, to: remaining[0])
        let views = try await network.views(at: 1, on: remaining, seconds: 60)
        #expect(Set(views.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        let executor = try #require(
            try await RemoteElection(connection: try network.connection(as: 1)).record(
                of: "ticket-1"))
        #expect(executor.holder != network.names[slow])
        print("slow node paged \(String(format: "%.1f", paged)) s after its link was degraded")
        try await network.namespaces.restore(network.nodeHosts[slow])
        for child in network.children { #expect(try await child.terminate() == 0) }
    }
}

extension Trait where Self == ConditionTrait {
    /// `@Test(.needsNetworkNamespaces)`: runs as root with iproute2, and always under CI (which runs as root),
    /// where a missing capability is a failure and not a skip.
    static var needsNetworkNamespaces: Self {
        .enabled(
            if: TestPaths.isCI || NetworkNamespaces.unavailable == nil,
            "network namespaces need root and iproute2: skipped (under CI=true this test runs and fails)")
    }
}
