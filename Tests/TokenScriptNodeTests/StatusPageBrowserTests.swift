import Foundation
import Testing
import TokenScriptTesting

/// The status pages of a real network, in a real browser: an anchoring node and three service nodes, a ticket
/// created and attested, its executor SIGKILLed. Chromium renders the anchor's page with the three nodes, the
/// killed one down and the ticket's executor replaced by another host at a higher epoch; a node's page lists the
/// ticket it hosts. Screenshots of both are kept as test artifacts. (`scripts/test` runs the `BrowserTests`
/// suites on their own, after the rest: a browser takes both cores of a small machine for seconds.)
@Suite("Status pages in a browser", .serialized)
struct StatusPageBrowserTests {
    @Test("the anchor's page shows a killed executor replaced; a host's page shows its ticket", .needsBrowser)
    func killedExecutorReplaced() async throws {
        let network = try await ProcessNetwork.start(nodes: 3)
        defer { network.stopAll() }
        try await network.createTicket(on: 0)
        try await network.postStatus(0, to: 1)
        for port in network.nodePorts {
            _ = try await network.waitFor(port: port) { $0["position"]?.integerValue == 1 }
        }
        let election = try network.election()
        let first = try #require(try await election.record(of: "ticket-1"))
        let executor = try #require(first.holder.flatMap { network.names.firstIndex(of: $0) })
        try await network.nodes[executor].killNow()
        let survivors = network.nodePorts.indices.filter { $0 != executor }
        try await network.postStatus(1, to: survivors[0])
        _ = try await network.views(at: 2, on: survivors, seconds: 30)
        let second = try #require(try await election.record(of: "ticket-1"))
        let replacement = try #require(second.holder)
        #expect(second.lease.epoch > first.lease.epoch)

        // The page reads the anchor's state when it is loaded: the replacement is there once elected.
        let anchorPage = "http://127.0.0.1:\(network.anchorPort)/"
        let dom = try await HeadlessBrowser.dom(of: anchorPage)
        for name in network.names { #expect(dom.contains("id=\"node-\(name)\""), "\(name)'s row") }
        let killed = network.names[executor]
        let killedRow = try #require(
            dom.range(of: "id=\"node-\(killed)\"").map { String(dom[$0.lowerBound...].prefix(400)) })
        #expect(killedRow.contains("<td>down</td>"), "\(killedRow)")
        #expect(
            dom.contains("<td>ticket-1</td><td>\(replacement)</td><td>\(second.lease.epoch)</td>"),
            "the replacement and its epoch: \(dom)")
        #expect(dom.contains("flight-status/LH2024"), "the last attestation of the flight's topic: \(dom)")
        try await HeadlessBrowser.screenshot(of: anchorPage, name: "anchor-status-executor-replaced.png")

        let nodePage = "http://127.0.0.1:\(network.nodePorts[survivors[0]])/"
        let nodeDOM = try await HeadlessBrowser.dom(of: nodePage)
        #expect(nodeDOM.contains("id=\"instance-ticket-1\""), "\(nodeDOM)")
        #expect(nodeDOM.contains("<td>ticket-1</td><td>flight-ticket</td><td>2</td>"), "\(nodeDOM)")
        try await HeadlessBrowser.screenshot(of: nodePage, name: "node-status.png")
        for index in survivors { #expect(try await network.nodes[index].terminate() == 0) }
        #expect(try await network.anchor.terminate() == 0)
    }
}
