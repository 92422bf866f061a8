import Testing
import TokenScriptCluster

@Suite("RendezvousRanking")
struct RendezvousRankingTests {
    @Test("the ranking does not depend on the order the nodes are given in")
    func orderIndependent() {
        let nodes = (1...6).map { ServiceNode(id: "node-\($0)", weight: UInt32($0)) }
        for instance in ["a", "ticket-1", "flight/LH400", ""] {
            let forward = RendezvousRanking.rank(instance, over: nodes)
            #expect(forward == RendezvousRanking.rank(instance, over: nodes.reversed()))
        }
    }

    @Test("a node's score is the best of its weight's draws, so more weight never lowers it")
    func weightNeverLowersTheScore() {
        for instance in (1...50).map({ "ticket-\($0)" }) {
            let light = RendezvousRanking.score(instance, ServiceNode(id: "node-1", weight: 1))
            let heavy = RendezvousRanking.score(instance, ServiceNode(id: "node-1", weight: 4))
            #expect(heavy >= light)
        }
    }

    @Test("pins that name unregistered nodes are skipped; the rest fill up in rendezvous order")
    func pinsOfUnknownNodesAreSkipped() throws {
        let nodes = (1...3).map { ServiceNode(id: "node-\($0)") }
        let ranked = RendezvousRanking.rank("ticket-1", over: nodes)
        let hosts = try RendezvousRanking.hostingNodes(
            for: "ticket-1", replicas: 3, nodes: nodes, pinned: ["gone", ranked[2].id])
        #expect(hosts == [ranked[2], ranked[0], ranked[1]])
    }

    @Test("a draw is the first 8 bytes of SHA-256, the same on every node and in every run")
    func sha256Draws() {
        // Computed apart: sha256(b"ticket-1\0node-1\0" + draw.to_bytes(4, "little"))[:8], big-endian.
        #expect(RendezvousRanking.hash("ticket-1", "node-1", 0) == 0x085a_6df0_8cb6_c779)
        #expect(RendezvousRanking.hash("ticket-1", "node-2", 0) == 0x59cf_2951_0872_7bac)
        #expect(RendezvousRanking.hash("ticket-1", "node-1", 1) == 0xf061_79b5_4fb5_6acf)
        #expect(RendezvousRanking.score("ticket-1", ServiceNode(id: "node-1", weight: 2)) == 0xf061_79b5_4fb5_6acf)
    }
}
