import TokenScriptCluster

/// Minimal movement with several replicas, counted against `RendezvousRanking`: a node leaving or joining
/// changes the hosting set only of the instances whose top `replicas` it was or becomes part of, and each of
/// those by exactly one node, so a change of membership costs one catch-up per concerned instance.
extension PlacementConformance {
    static let replicas = 3
    static let sixNodes = (1...6).map { ServiceNode(id: "node-\($0)") }

    static func allHosts(_ placement: any InstancePlacement) async throws -> [String: [String]] {
        var hosts: [String: [String]] = [:]
        for instance in instances {
            hosts[instance] = try await placement.hostingNodes(for: instance, replicas: replicas).map(\.id)
        }
        return hosts
    }

    /// The instances whose top `replicas` over `nodes` include `node`, computed from the ranking alone.
    static func concerned(by node: String, over nodes: [ServiceNode]) -> Set<String> {
        Set(
            instances.filter { instance in
                RendezvousRanking.rank(instance, over: nodes).prefix(replicas).contains { $0.id == node }
            })
    }

    static func stableReplicas(_ subject: PlacementSubject) async throws {
        let placement = try await placement(subject, sixNodes)
        let before = try await allHosts(placement)

        try await placement.remove(node: "node-3")
        let remaining = sixNodes.filter { $0.id != "node-3" }
        let afterRemoval = try await allHosts(placement)
        var moved = 0
        for instance in instances {
            let old = before[instance] ?? [], new = afterRemoval[instance] ?? []
            try expect.equal(new.count, replicas, "hosts of \(instance) after removing node-3")
            guard old.contains("node-3") else {
                try expect.equal(new, old, "hosts of \(instance), which node-3 did not host, after removing it")
                continue
            }
            moved += 1
            // The node ranked just below the old hosts takes node-3's place; the others stay.
            let next = RendezvousRanking.rank(instance, over: sixNodes)[replicas].id
            try expect.equal(Set(new), Set(old.filter { $0 != "node-3" } + [next]), "hosts of \(instance)")
        }
        let expectedRemovals = concerned(by: "node-3", over: sixNodes).count
        try expect.equal(moved, expectedRemovals, "instances that moved when node-3 left")
        try expect.require(moved > 0, "instances node-3 hosted", "node-3 hosted nothing among \(instances.count)")

        try await placement.register(ServiceNode(id: "node-7"))
        let afterAddition = try await allHosts(placement)
        var joined = 0
        for instance in instances {
            let old = afterRemoval[instance] ?? [], new = afterAddition[instance] ?? []
            try expect.equal(new.count, replicas, "hosts of \(instance) after adding node-7")
            guard new.contains("node-7") else {
                try expect.equal(new, old, "hosts of \(instance), which node-7 did not enter, after adding it")
                continue
            }
            joined += 1
            // node-7 replaces the previous last of the top `replicas`; the others stay.
            try expect.equal(Set(new), Set(old.dropLast() + ["node-7"]), "hosts of \(instance) after node-7 joined")
        }
        let expectedJoins = concerned(by: "node-7", over: remaining + [ServiceNode(id: "node-7")]).count
        try expect.equal(joined, expectedJoins, "instances node-7 entered the top \(replicas) of")
        try expect.require(joined > 0, "instances node-7 hosts", "node-7 entered no top \(replicas)")
    }
}
