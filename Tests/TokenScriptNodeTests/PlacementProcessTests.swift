import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptCluster
import TokenScriptJSON
import TokenScriptTesting

/// Placement across processes: `tokenscript anchor --replicas 2` and four nodes host twelve tickets, two
/// hosts each. A fifth node of capacity 3 joins: exactly the tickets whose top two now include it move to it (counted
/// against `RendezvousRanking` computed here), it catches up to the old hosts' state hash and position, and
/// the other tickets keep their hosts. A node stops (SIGTERM): only its tickets gain a host, the next in
/// rank, which catches up; every ticket keeps two hosts, and the executor role follows (a later input is
/// applied by every host). Restarted, the node takes its tickets back and catches up; the stand-ins let go.
@Suite("tokenscript node --anchor: instances follow placement as nodes join and leave", .serialized)
struct PlacementProcessTests {
    static let replicas = 2
    static let tickets = (1...12).map { "ticket-\($0)" }

    /// The joining node's capacity: its weight in the rendezvous.
    static let joinerCapacity: UInt32 = 3

    /// What each ticket's hosts are when `nodes` are the healthy members: the top `replicas` by rendezvous, each
    /// node weighted by its capacity (the joining node `n5` 3, the others 1).
    static func expectedHosts(over nodes: [String]) -> [String: Set<String>] {
        let members = nodes.map { ServiceNode(id: $0, weight: $0 == "n5" ? joinerCapacity : 1) }
        var hosts: [String: Set<String>] = [:]
        for ticket in tickets {
            hosts[ticket] = Set(RendezvousRanking.rank(ticket, over: members).prefix(replicas).map(\.id))
        }
        return hosts
    }

    @Test("a node joining takes exactly the tickets it now ranks for; a node leaving hands on only its own")
    func joinAndLeave() async throws {
        let network = try await ProcessNetwork.start(
            nodes: 4, spare: 1, anchorArguments: ["--replicas", "\(Self.replicas)"])
        defer { network.stopAll() }
        let four = Array(network.names.prefix(4))
        let initial = Self.expectedHosts(over: four)
        for ticket in Self.tickets {
            // Created on its best host, so the creator is one of its hosts.
            let best = try #require(RendezvousRanking.rank(ticket, over: four.map { ServiceNode(id: $0) }).first)
            let port = network.nodePorts[try #require(network.names.firstIndex(of: best.id))]
            let created = try await LoopbackHTTP.request(
                "POST", port: port, path: "/v1/instances", body: HostingFixture.createBody(id: ticket))
            #expect(created.status == 201, "\(created.body)")
        }
        // One status for every ticket (all on flight LH2024): posted to every node, each orders it for its own.
        let statuses = try HostingFixture.statuses()
        for port in network.nodePorts {
            let posted = try await LoopbackHTTP.request("POST", port: port, path: "/v1/attestations", body: statuses[0])
            #expect(posted.status == 200, "\(posted.body)")
        }
        let before = try await Self.settle(network, to: initial, position: 1)
        #expect(before.values.allSatisfy { $0.count == Self.replicas })

        // A fifth node joins, of capacity 3: its weight in the ranking.
        let added = try await network.addNode(["--capacity", "\(Self.joinerCapacity)"])
        #expect(network.names[added] == "n5")
        let registered = try await RemotePlacement(connection: try network.connection(as: 1), url: "").members()
        #expect(registered.first { $0.name == "n5" }?.capacity == Self.joinerCapacity)
        let five = Array(network.names.prefix(5))
        let afterJoin = Self.expectedHosts(over: five)
        let joined = Self.tickets.filter { afterJoin[$0] != initial[$0] }
        let expectedJoined = Self.tickets.filter { afterJoin[$0]?.contains(network.names[added]) == true }
        #expect(joined == expectedJoined, "only the tickets the new node ranks for change hosts")
        #expect(!joined.isEmpty, "the new node ranks among the top \(Self.replicas) for some of 12 tickets")
        let joinedHosts = try await Self.settle(network, to: afterJoin, position: 1)
        for ticket in Self.tickets {
            let old = try #require(before[ticket]), new = try #require(joinedHosts[ticket])
            #expect(Set(new.keys) == afterJoin[ticket], "\(ticket) hosts after the join")
            if joined.contains(ticket) {
                // The new node replaced exactly one host and holds what the staying host holds.
                #expect(Set(new.keys).subtracting(old.keys) == [network.names[added]])
                #expect(Set(old.keys).subtracting(new.keys).count == 1)
            }
            #expect(Set(new.values).count == 1, "\(ticket): every host the same state hash and position")
            #expect(new.values.first == old.values.first, "\(ticket): the state of before the join")
        }
        print("placement: \(joined.count) of \(Self.tickets.count) tickets moved to the joining node")

        // The first node stops; its tickets each gain the next host in rank, the others keep theirs.
        let leaving = network.names[0]
        #expect(try await network.nodes[0].terminate() == 0)
        let remaining = five.filter { $0 != leaving }
        let afterLeave = Self.expectedHosts(over: remaining)
        let handedOn = Self.tickets.filter { afterLeave[$0] != afterJoin[$0] }
        #expect(handedOn == Self.tickets.filter { afterJoin[$0]?.contains(leaving) == true })
        #expect(!handedOn.isEmpty)
        let leftHosts = try await Self.settle(network, to: afterLeave, position: 1, skipping: [0])
        for ticket in Self.tickets {
            let old = try #require(afterJoin[ticket]), new = try #require(leftHosts[ticket])
            #expect(new.count == Self.replicas, "\(ticket) keeps \(Self.replicas) hosts")
            if handedOn.contains(ticket) {
                #expect(Set(new.keys).subtracting(old).count == 1, "\(ticket) gains exactly one host")
                #expect(old.subtracting(new.keys) == [leaving])
            }
            #expect(Set(new.values).count == 1, "\(ticket): every host the same state hash and position")
        }
        print("placement: \(handedOn.count) of \(Self.tickets.count) tickets handed on when \(leaving) left")

        // The executor role followed: a later input reaches every host of every ticket through its executor.
        for index in network.nodes.indices.dropFirst() {
            let posted = try await LoopbackHTTP.request(
                "POST", port: network.nodePorts[index], path: "/v1/attestations", body: statuses[1])
            #expect(posted.status == 200, "\(posted.body)")
        }
        let later = try await Self.settle(network, to: afterLeave, position: 2, skipping: [0])
        #expect(later.values.allSatisfy { Set($0.values).count == 1 })
        let election = try network.election()
        for ticket in Self.tickets {
            let holder = try #require(try await election.record(of: ticket)?.holder)
            #expect(afterLeave[ticket]?.contains(holder) == true, "\(ticket)'s executor \(holder) is one of its hosts")
        }

        // Restarted over its data directory, the first node takes its tickets back: it reopens them from its store,
        // catches up from position 1 to 2, and the hosts that stood in for it release them.
        _ = try await network.restart(0)
        let back = try await Self.settle(network, to: afterJoin, position: 2)
        for ticket in Self.tickets {
            #expect(back[ticket].map { Set($0.values) } == later[ticket].map { Set($0.values) }, "\(ticket) after")
        }
        #expect(try await network.anchoring(as: 2).evidence().isEmpty)
        for index in network.nodes.indices { #expect(try await network.nodes[index].terminate() == 0) }
        #expect(try await network.anchor.terminate() == 0)
    }

    /// One host's view of a ticket: its position and state hash.
    struct HostState: Hashable {
        var position: Int64
        var stateHash: String
    }

    /// Polls `GET /v1/instances` on every running node until each ticket is hosted by exactly `expected`, every
    /// host at `position`; answers each ticket's hosts with their states.
    static func settle(
        _ network: ProcessNetwork, to expected: [String: Set<String>], position: Int64, skipping: Set<Int> = [],
        seconds: TimeInterval = 60
    ) async throws -> [String: [String: HostState]] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            var found: [String: [String: HostState]] = [:]
            for index in network.nodes.indices where !skipping.contains(index) {
                let response = try await LoopbackHTTP.request(
                    "GET", port: network.nodePorts[index], path: "/v1/instances")
                let listed = try JSONValue(parsing: response.body).objectValue?["instances"]?.arrayValue ?? []
                for item in listed {
                    guard let object = item.objectValue, let id = object["id"]?.stringValue,
                        let at = object["position"]?.integerValue, let hash = object["stateHash"]?.stringValue
                    else { continue }
                    found[id, default: [:]][network.names[index]] = HostState(position: at, stateHash: hash)
                }
            }
            let settled = tickets.allSatisfy { ticket in
                let hosts = found[ticket] ?? [:]
                return Set(hosts.keys) == expected[ticket] && hosts.values.allSatisfy { $0.position == position }
            }
            if settled && found.count == tickets.count { return found }
            guard Date() < deadline else {
                let summary = tickets.map { "\($0): \(found[$0]?.mapValues(\.position) ?? [:])" }
                // Each node's errors and warnings, so a failure says why a host did not follow.
                let logs = network.nodes.map { node in
                    node.errorOutput.split(separator: "\n").filter {
                        $0.contains(" error ") || $0.contains(" warning ")
                    }
                    .suffix(20).joined(separator: "\n")
                }
                throw ServerChildError(
                    "placement never settled on \(expected); found \(summary)\n\(logs.joined(separator: "\n--\n"))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
