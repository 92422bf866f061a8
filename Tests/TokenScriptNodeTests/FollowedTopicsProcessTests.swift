import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptJSON
import TokenScriptTesting

/// `tokenscript anchor --replicas 2` and three `tokenscript node --anchor` processes: ticket-1 has two hosts,
/// and the third node hosts nothing of it. Flight statuses posted only to that third node are logged at the
/// anchor, and both hosts, following `flight-status/LH2024` in the anchor's log by position, leave them in the
/// ticket's inbox: the executor orders them and every host applies them. The holder's action sent to that node is
/// forwarded the same way.
@Suite("A node follows its instances' topics in the anchor's log", .serialized)
struct FollowedTopicsProcessTests {
    @Test("statuses posted only to a node that hosts no ticket reach every host: same state hash and position")
    func statusesPostedElsewhereReachTheHosts() async throws {
        try await Self.statusesPostedToAnOutsider(script: HostingFixture.scriptPath)
    }

    /// The same ticket with `topic="flight-status/*"` triggers: no exact topic to follow, so the hosts find
    /// `flight-status/LH2024` in the anchor's topic index (created by the first status, after the ticket) and
    /// follow it from its first entry.
    @Test("a prefix pattern: statuses posted only to the outsider reach every host through the topic index")
    func prefixPatternTopicsReachTheHosts() async throws {
        let directory = try TemporaryDirectory()
        let text = try String(contentsOfFile: HostingFixture.scriptPath, encoding: .utf8)
            .replacingOccurrences(of: "topic=\"flight-status/${flight}\"", with: "topic=\"flight-status/*\"")
        #expect(!text.contains("topic=\"flight-status/${flight}\""))
        let script = directory.path + "/flight-ticket.xml"
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        try await Self.statusesPostedToAnOutsider(script: script)
    }

    /// Creates ticket-1 on an anchor with `--replicas 2` and three nodes hosting `script`, posts two statuses only
    /// to the node that does not host it, and expects both hosts at position 2, delayed, with one state hash.
    static func statusesPostedToAnOutsider(script: String) async throws {
        let network = try await ProcessNetwork.start(nodes: 3, script: script, anchorArguments: ["--replicas", "2"])
        defer { network.stopAll() }
        let created = try await LoopbackHTTP.request(
            "POST", port: network.nodePorts[0], path: "/v1/instances", body: HostingFixture.createBody(id: "ticket-1"))
        #expect(created.status == 201, "\(created.body)")
        let (hosts, outsider) = try await network.hostsAndOutsider(of: "ticket-1", replicas: 2)
        for index in hosts {
            _ = try await network.waitFor(port: network.nodePorts[index]) { $0["position"]?.integerValue == 0 }
        }
        // The outsider hosts nothing of the ticket (when it created it, it releases it on reading the notice).
        try await waitUntilNotHosted(port: network.nodePorts[outsider])

        let statuses = try HostingFixture.statuses()
        for (index, status) in statuses.prefix(2).enumerated() {
            let posted = try await LoopbackHTTP.request(
                "POST", port: network.nodePorts[outsider], path: "/v1/attestations", body: status)
            #expect(posted.status == 200, "\(posted.body)")
            let answer = try #require(try JSONValue(parsing: posted.body).objectValue)
            #expect(answer["instances"]?.arrayValue?.isEmpty == true, "no instance of the outsider takes it")
            #expect(answer["position"]?.integerValue == Int64(index + 1))
        }

        let views = try await network.views(at: 2, on: hosts, seconds: 60)
        #expect(Set(views.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        #expect(views.allSatisfy { $0["state"]?.stringValue == "delayed" })
        #expect(views.allSatisfy { $0["attributes"]?.objectValue?["delayMinutes"]?.integerValue == 40 })

        // The holder's action, sent to the outsider too: it reads the holder from the creation record, signs the
        // invocation and leaves it in the ticket's inbox, and the elected executor orders it for both hosts.
        let invoked = try await LoopbackHTTP.request(
            "POST", port: network.nodePorts[outsider], path: "/v1/instances/ticket-1/actions/choose-seat",
            body: try ActionInvocationTests.request().json)
        #expect(invoked.status == 200, "\(invoked.body)")
        let seated = try await network.views(at: 3, on: hosts, seconds: 60)
        #expect(Set(seated.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        #expect(seated.allSatisfy { $0["attributes"]?.objectValue?["seat"]?.stringValue == "12A" })

        // A read sent to the outsider is redirected (307) to a host of the ticket, which answers it.
        let clock = UInt64(Date().timeIntervalSince1970)
        let grant = [
            "X-TokenScript-Grant": try HostingFixture.grant("ticket-1", issuedAt: clock - 60, expiresAt: clock + 3_600)
        ]
        let redirected = try await LoopbackHTTP.request(
            "GET", port: network.nodePorts[outsider], path: "/v1/instances/ticket-1?atLeast=3", headers: grant)
        #expect(redirected.status == 307, "\(redirected.body)")
        let location = try #require(redirected.headers["location"], "\(redirected.headers)")
        let hostPorts = hosts.map { network.nodePorts[$0] }
        let target = try #require(hostPorts.first { location.contains(":\($0)/v1/instances/ticket-1") }, "\(location)")
        #expect(location.hasSuffix("/v1/instances/ticket-1?atLeast=3"))
        let followed = try await LoopbackHTTP.request(
            "GET", port: target, path: "/v1/instances/ticket-1?atLeast=3", headers: grant)
        #expect(followed.status == 200, "\(followed.body)")
        for child in network.children { #expect(try await child.terminate() == 0) }
    }

    /// Polls the node's instance list until ticket-1 is not in it.
    private static func waitUntilNotHosted(port: Int) async throws {
        let deadline = Date().addingTimeInterval(20)
        while true {
            let listed = try await LoopbackHTTP.request("GET", port: port, path: "/v1/instances")
            if listed.status == 200, !listed.body.contains("ticket-1") { return }
            guard Date() < deadline else { throw ServerChildError("the outsider still hosts ticket-1: \(listed.body)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
