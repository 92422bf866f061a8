import TokenScriptCluster

/// A source of fresh, empty `InstancePlacement`s: some checks compare two independent ones.
public struct PlacementSubject: Sendable {
    public var make: @Sendable () async throws -> any InstancePlacement

    public init(make: @escaping @Sendable () async throws -> any InstancePlacement) {
        self.make = make
    }
}

/// The rules of `InstancePlacement`: deterministic weighted rendezvous hashing, minimal movement when
/// membership changes, pins first.
public enum PlacementConformance {
    public static let checks: [ConformanceCheck<PlacementSubject>] = [
        ConformanceCheck("two placements with the same nodes agree, whatever the order", run: deterministic),
        ConformanceCheck("removing or adding a node moves only the instances it concerns", run: stable),
        ConformanceCheck(
            "with 3 replicas, a node leaving or joining changes only the host sets it was or becomes part of, "
                + "each by one node, counted against RendezvousRanking", run: stableReplicas),
        ConformanceCheck("weights set each node's share", run: weighted),
        ConformanceCheck("pinned nodes come first, in pinned order", run: pins),
        ConformanceCheck("bad nodes, pins and replica counts are refused and change nothing", run: badInput),
    ]

    static let expect = Expectations(protocolName: "InstancePlacement")
    static let nodes = (1...5).map { ServiceNode(id: "node-\($0)") }
    static let instances = (1...400).map { "ticket-\($0)" }

    static func placement(_ subject: PlacementSubject, _ nodes: [ServiceNode]) async throws -> any InstancePlacement {
        let placement = try await subject.make()
        for node in nodes { try await placement.register(node) }
        return placement
    }

    static func firstHosts(_ placement: any InstancePlacement) async throws -> [String: String] {
        var hosts: [String: String] = [:]
        for instance in instances {
            hosts[instance] = try await placement.hostingNodes(for: instance, replicas: 1).first?.id
        }
        return hosts
    }

    static func deterministic(_ subject: PlacementSubject) async throws {
        let forward = try await placement(subject, nodes)
        let backward = try await placement(subject, nodes.reversed())
        try expect.equal(try await forward.nodes(), try await backward.nodes(), "registered nodes")
        for instance in instances.prefix(100) {
            let one = try await forward.hostingNodes(for: instance, replicas: 3)
            let other = try await backward.hostingNodes(for: instance, replicas: 3)
            try expect.equal(other, one, "3 hosts of \(instance) from two placements")
            let computed = try RendezvousRanking.hostingNodes(for: instance, replicas: 3, nodes: nodes, pinned: [])
            try expect.equal(one, computed, "3 hosts of \(instance) against RendezvousRanking")
            try expect.equal(try await forward.hostingNodes(for: instance, replicas: 3), one, "asking again")
        }
        try expect.equal(try await forward.hostingNodes(for: "ticket-1", replicas: 9).count, 5, "9 replicas of 5 nodes")
    }

    static func stable(_ subject: PlacementSubject) async throws {
        let placement = try await placement(subject, nodes)
        let before = try await firstHosts(placement)
        try expect.require(Set(before.values).count == 5, "hosts before removal", "not every node hosts: \(before)")
        try await placement.remove(node: "node-3")
        let afterRemoval = try await firstHosts(placement)
        for instance in instances where before[instance] != "node-3" {
            try expect.equal(afterRemoval[instance], before[instance], "host of \(instance) after removing node-3")
        }
        try expect.require(!afterRemoval.values.contains("node-3"), "hosts after removal", "node-3 still hosts")
        try await placement.register(ServiceNode(id: "node-6"))
        let afterAddition = try await firstHosts(placement)
        for instance in instances where afterAddition[instance] != afterRemoval[instance] {
            try expect.equal(afterAddition[instance], "node-6", "host of \(instance) after adding node-6")
        }
        try expect.require(afterAddition.values.contains("node-6"), "hosts after adding node-6", "node-6 hosts nothing")
    }

    static func weighted(_ subject: PlacementSubject) async throws {
        let weighted = [ServiceNode(id: "small-1"), ServiceNode(id: "small-2"), ServiceNode(id: "large", weight: 2)]
        let placement = try await placement(subject, weighted)
        let hosts = try await firstHosts(placement)
        let large = hosts.values.filter { $0 == "large" }.count
        try expect.require(
            (150...250).contains(large), "share of the weight-2 node among 1+1+2",
            "expected about 200 of 400 instances, found \(large)")
    }

    static func pins(_ subject: PlacementSubject) async throws {
        let placement = try await placement(subject, nodes)
        let unpinned = try await placement.hostingNodes(for: "ticket-1", replicas: 5).map(\.id)
        let pinned = [unpinned[4], unpinned[2]]
        try await placement.pin("ticket-1", to: pinned)
        let hosts = try await placement.hostingNodes(for: "ticket-1", replicas: 4).map(\.id)
        try expect.equal(hosts, pinned + [unpinned[0], unpinned[1]], "4 hosts of ticket-1 pinned to \(pinned)")
        try await placement.remove(node: pinned[0])
        let afterRemoval = try await placement.hostingNodes(for: "ticket-1", replicas: 2).map(\.id)
        try expect.equal(afterRemoval, [pinned[1], unpinned[0]], "hosts after removing the first pinned node")
        try await placement.pin("ticket-1", to: [])
        let unpinnedAgain = try await placement.hostingNodes(for: "ticket-1", replicas: 2).map(\.id)
        try expect.equal(unpinnedAgain, [unpinned[0], unpinned[1]], "hosts after unpinning")
    }

    static func badInput(_ subject: PlacementSubject) async throws {
        let placement = try await placement(subject, nodes)
        func refuses(_ step: String, _ error: PlacementError, _ body: () async throws -> Void) async throws {
            let matches: (any Error) -> Bool = { $0 as? PlacementError == error }
            try await expect.refuses(step, expected: "PlacementError \(error)", matches: matches, body)
        }
        try await refuses("register a node of weight 0", .invalidWeight(node: "node-x", weight: 0)) {
            try await placement.register(ServiceNode(id: "node-x", weight: 0))
        }
        let tooHeavy = ServiceNode(id: "node-1", weight: ServiceNode.maximumWeight + 1)
        try await refuses(
            "register a node above the maximum weight", .invalidWeight(node: "node-1", weight: tooHeavy.weight)
        ) {
            try await placement.register(tooHeavy)
        }
        try await refuses("register a node with an empty id", .emptyName(field: "node id")) {
            try await placement.register(ServiceNode(id: ""))
        }
        try await refuses("pin to an unknown node", .unknownNode("node-9")) {
            try await placement.pin("ticket-1", to: ["node-1", "node-9"])
        }
        try await refuses("pin to a node twice", .duplicateNode("node-1")) {
            try await placement.pin("ticket-1", to: ["node-1", "node-1"])
        }
        try await refuses("ask for 0 replicas", .invalidReplicaCount(0)) {
            _ = try await placement.hostingNodes(for: "ticket-1", replicas: 0)
        }
        try expect.equal(try await placement.nodes(), nodes, "nodes after the refusals")
        let hosts = try await placement.hostingNodes(for: "ticket-1", replicas: 5)
        let computed = try RendezvousRanking.hostingNodes(for: "ticket-1", replicas: 5, nodes: nodes, pinned: [])
        try expect.equal(hosts, computed, "hosts of ticket-1 after the refused pins")
    }
}
