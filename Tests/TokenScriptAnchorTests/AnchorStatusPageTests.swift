import Foundation
import Testing
@testable import TokenScriptAnchor
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptTesting

/// The anchor's status page at `/`: escaping (here) and in a real headless browser (`AnchorStatusPageBrowserTests`).
@Suite("The anchor's status page")
struct AnchorStatusPageTests {
    @Test("what the network names is escaped: a node cannot put markup on the operator's page")
    func escapes() {
        let member = AnchorMessages.Member(
            name: "<script>alert(1)</script>", url: "http://x/\"><img src=x>", key: "0x00", capacity: 1,
            lastHeartbeat: nil, healthy: false)
        let status = AnchorStatus(
            name: "a&b", time: 10, replicas: 3, nodes: [AnchorStatus.Node(member: member, standing: nil, seats: 0)],
            executors: [], topics: [], routings: [], evidence: [])
        let html = AnchorStatusPage.html(status)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("a&amp;b"))
        #expect(html.contains("No instance has an executor yet."))
    }
}

/// The anchor's status page in a real headless browser: the members, and an executor that stopped heartbeating
/// replaced by another host with a higher epoch. (`scripts/test` runs the `BrowserTests` suites on their own,
/// after the rest: a browser takes both cores of a small machine for seconds.)
@Suite("The anchor's status page in a browser")
struct AnchorStatusPageBrowserTests {
    @Test(
        "chromium renders the nodes, and a dead executor's replacement with its new epoch; a screenshot is kept",
        .needsBrowser)
    func statusPageInBrowser() async throws {
        let directory = try TemporaryDirectory()
        let names = ["n1", "n2", "n3"]
        let seed = { (name: String) in AnchorFixture.seed(name) }
        try AnchorFixture.writeKeyFile("anchor", in: directory.path)
        var arguments = [
            "anchor", "--listen", "127.0.0.1:0", "--data", directory.path + "/data", "--key",
            directory.path + "/anchor.key", "--node-timeout", "2", "--lease-term", "3", "--name", "anchor-<1>",
        ]
        for name in names {
            arguments += ["--member", "\(name)=\(try Ed25519AttestationSigner(seed: seed(name)).issuer.key)"]
        }
        let anchor = try ServerChild(arguments: arguments)
        let url = "http://127.0.0.1:\(try await anchor.waitForReady())"
        var nodes: [String: (placement: RemotePlacement, election: RemoteElection)] = [:]
        for name in names {
            let connection = AnchorConnection(
                anchorURL: url,
                signer: NodeRequestSigner(name: name, signer: try Ed25519AttestationSigner(seed: seed(name))))
            // The anchor's own URL: its /health answers the probes at once.
            let placement = RemotePlacement(connection: connection, url: url)
            try await placement.register(capacity: 1)
            try await placement.heartbeat()
            nodes[name] = (placement, RemoteElection(connection: connection))
        }
        let first = try await try #require(nodes["n1"]).election.elect("ticket-1")
        let dead = try #require(first.holder)
        // The holder stops heartbeating; the others beat on past the node timeout and the lease's end (a holder
        // that stopped heartbeating keeps its lease until then), then ask for an election.
        for _ in 0..<5 {
            try await Task.sleep(for: .seconds(1))
            for name in names where name != dead { try await nodes[name]?.placement.heartbeat() }
        }
        let asker = try #require(names.first { $0 != dead })
        let second = try await try #require(nodes[asker]).election.elect("ticket-1")
        let replacement = try #require(second.holder)
        #expect(replacement != dead)
        #expect(second.lease.epoch == first.lease.epoch + 1)

        let dom = try await HeadlessBrowser.dom(of: url + "/")
        #expect(dom.contains("<title>anchor-&lt;1&gt;: anchoring node</title>"), "the name is escaped: \(dom)")
        for name in names { #expect(dom.contains("id=\"node-\(name)\""), "\(name)'s row: \(dom)") }
        #expect(dom.contains("<td>ticket-1</td><td>\(replacement)</td><td>\(second.lease.epoch)</td>"), "\(dom)")
        let deadRow = try #require(dom.range(of: "id=\"node-\(dead)\"").map { dom[$0.lowerBound...] })
        #expect(deadRow.prefix(400).contains("<td>down</td>"), "\(deadRow.prefix(400))")
        #expect(dom.contains("<table id=\"topics\">"), "the log's topics: \(dom)")

        let shot = try await HeadlessBrowser.screenshot(of: url + "/", name: "anchor-status.png")
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG at \(shot)")
        #expect(png.count > 10_000, "a page, not a blank: \(png.count) bytes")
        #expect(try await anchor.terminate() == 0)
    }
}
