import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptJSON
import TokenScriptTesting

/// Dormant instances at rest on the nodes of a network (`InstanceHost+Lifecycle`): `tokenscript anchor --replicas
/// 2` and three `tokenscript node --anchor --dormant-after 1s` processes. The booked ticket rests on both its hosts;
/// the holder's action sent to the third node wakes its executor by a nudge; a host killed and restarted keeps it at
/// rest and still follows its topic; a flight status posted to the third node wakes both hosts with no read.
@Suite("Dormant instances at rest in a network", .serialized)
struct RestingNetworkProcessTests {
    /// The node's list: whether ticket-1 is in memory there, and how many instances rest in its store.
    static func listing(_ network: ProcessNetwork, _ index: Int) async throws -> (inMemory: Bool, resting: Int64) {
        let response = try await LoopbackHTTP.request("GET", port: network.nodePorts[index], path: "/v1/instances")
        let body = try #require(try JSONValue(parsing: response.body).objectValue, "\(response.body)")
        let ids = body["instances"]?.arrayValue?.compactMap { $0[JSONKey("id")]?.stringValue } ?? []
        return (ids.contains("ticket-1"), body["resting"]?.integerValue ?? -1)
    }

    /// Polls the list of each of `hosts` until `done` holds of it.
    static func waitUntil(
        _ network: ProcessNetwork, _ hosts: [Int], _ what: String, _ done: ((inMemory: Bool, resting: Int64)) -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(60)
        for index in hosts {
            while true {
                let listed = try await listing(network, index)
                if done(listed) { break }
                guard Date() < deadline else {
                    throw ServerChildError("\(network.names[index]) never got to \(what); last \(listed)")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    @Test(
        """
        a booked ticket rests on both hosts; an action sent to a node that does not host it is ordered by the \
        executor it wakes; a host restarted keeps it at rest; a flight status posted elsewhere wakes both hosts, \
        which agree on the state hash
        """
    )
    func restsAcrossTheNetwork() async throws {
        let network = try await ProcessNetwork.start(
            nodes: 3, arguments: ["--dormant-after", "1s"], anchorArguments: ["--replicas", "2"])
        defer { network.stopAll() }
        let created = try await LoopbackHTTP.request(
            "POST", port: network.nodePorts[0], path: "/v1/instances", body: HostingFixture.createBody(id: "ticket-1"))
        #expect(created.status == 201, "\(created.body)")
        let (hosts, outsider) = try await network.hostsAndOutsider(of: "ticket-1", replicas: 2)

        try await Self.waitUntil(network, hosts, "rest") { !$0.inMemory && $0.resting == 1 }

        // The action goes into the ticket's inbox at the outsider, which asks the elected host to wake it.
        let invoked = try await LoopbackHTTP.request(
            "POST", port: network.nodePorts[outsider], path: "/v1/instances/ticket-1/actions/choose-seat",
            body: try ActionInvocationTests.request().json)
        #expect(invoked.status == 200, "\(invoked.body)")
        // Ordered with no read of the ticket anywhere: the nudge woke the executor, which took the inbox's pointer.
        let log = RemoteAttestationLog(connection: try network.connection(as: 1))
        let deadline = Date().addingTimeInterval(30)
        while try await log.head(of: "order/ticket-1") < 1 {
            guard Date() < deadline else { throw ServerChildError("the action was never ordered") }
            try await Task.sleep(for: .milliseconds(100))
        }
        let seated = try await network.views(at: 1, on: hosts, seconds: 60)
        #expect(Set(seated.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        #expect(seated.allSatisfy { $0["attributes"]?.objectValue?["seat"]?.stringValue == "12A" })
        #expect(seated.allSatisfy { $0["state"]?.stringValue == "booked" })

        // Still booked, so back to rest; one host killed and restarted keeps it there.
        try await Self.waitUntil(network, hosts, "rest again") { !$0.inMemory && $0.resting == 1 }
        try await network.nodes[hosts[1]].killNow()
        _ = try await network.restart(hosts[1])
        try await network.waitUntilJoined(3, seconds: 30)
        let restarted = try await Self.listing(network, hosts[1])
        #expect(!restarted.inMemory && restarted.resting == 1, "\(restarted)")

        // The airline's status, posted only to the outsider: both hosts read it on the topic they follow for the
        // resting ticket and wake it, with no read.
        try await network.postStatus(0, to: outsider)
        try await Self.waitUntil(network, hosts, "wake") { $0.inMemory && $0.resting == 0 }
        let applied = try await network.views(at: 2, on: hosts, seconds: 60)
        #expect(Set(applied.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        #expect(applied.allSatisfy { $0["state"]?.stringValue != "booked" })
        for child in network.children { #expect(try await child.terminate() == 0) }
    }

    @Test(
        """
        a cancelled insurance is retired on both its hosts once its executor logged the retirement: each archives \
        its journal and answers 410; a node placed in a host's stead does not adopt it again
        """
    )
    func retiresAcrossTheNetwork() async throws {
        let network = try await ProcessNetwork.start(
            nodes: 3, scripts: SmartCarHostingTests.scripts, arguments: ["--retain-expired", "1s"],
            anchorArguments: ["--replicas", "2"])
        defer { network.stopAll() }
        try await SmartCarNetworkProcessTests.create(
            "car-insurance", "ins-1", "\"policy\":\"P-77\"", on: network.nodePorts[0])
        let (hosts, outsider) = try await network.hostsAndOutsider(of: "ins-1", replicas: 2)
        let placement = RemotePlacement(connection: try network.connection(as: 1), url: "")
        let cancel = try SmartCarHostingTests.attestation(
            SmartCarHostingTests.insurer, id: "cancel-1", topic: "insurance/P-77", type: "cancel")
        let posted = try await LoopbackHTTP.request(
            "POST", port: network.nodePorts[outsider], path: "/v1/attestations", body: cancel.json)
        #expect(posted.status == 200, "\(posted.body)")

        let grant = [
            "X-TokenScript-Grant": try HostingFixture.grant(
                "ins-1", issuedAt: 1_700_000_000, expiresAt: 4_000_000_000)
        ]
        // Watched through the lists, which are no request for the instance (a read would count as activity).
        let deadline = Date().addingTimeInterval(60)
        for index in hosts {
            while true {
                let listed = try await LoopbackHTTP.request(
                    "GET", port: network.nodePorts[index], path: "/v1/instances")
                let answer = try #require(try JSONValue(parsing: listed.body).objectValue)
                if answer["retired"]?.integerValue == 1 { break }
                guard Date() < deadline else { throw ServerChildError("ins-1 never retired: \(listed.body)") }
                try await Task.sleep(for: .milliseconds(200))
            }
            let read = try await LoopbackHTTP.request(
                "GET", port: network.nodePorts[index], path: "/v1/instances/ins-1", headers: grant)
            #expect(read.status == 410, "\(read.body)")
            #expect(read.body.contains("instance-retired"), "\(read.body)")
            let archive = network.directory.path + "/\(network.names[index])/archive/ins-1.journal"
            #expect(FileManager.default.fileExists(atPath: archive), "\(archive)")
        }
        let log = RemoteAttestationLog(connection: try network.connection(as: 1))
        #expect(try await log.head(of: "retired/ins-1") == 1, "logged once, by the executor")

        // One host stops: the outsider is placed in its stead, and does not adopt the retired instance.
        #expect(try await network.nodes[hosts[0]].terminate() == 0)
        let placedInstead = Date().addingTimeInterval(30)
        while try await !placement.hostingNodes(for: "ins-1", replicas: 2).map(\.id).contains(network.names[outsider]) {
            guard Date() < placedInstead else { throw ServerChildError("the outsider was never placed") }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await Task.sleep(for: .seconds(2))
        let listed = try await LoopbackHTTP.request("GET", port: network.nodePorts[outsider], path: "/v1/instances")
        #expect(!listed.body.contains("ins-1"), "\(listed.body)")
        #expect(network.nodes[outsider].errorOutput.contains("not adopting a retired instance"))
    }
}
