import Foundation
import TokenScriptCluster

/// The flight ticket's story on a network of several anchoring nodes sharing one PostgreSQL store
/// (`scripts/cluster-demo`), narrated and checked: tickets on two flights, then a long delay whose hotel rebooking
/// is under way when the executor is killed with SIGKILL in the middle of the call (the hotel holds the first
/// calls); another host is elected once the dead executor's lease ended and books under the same idempotency key.
/// Then an anchoring node is killed: the nodes fail over to the other, which goes on logging and electing. The
/// killed node comes back and catches up. It checks exactly one booking per idempotency key at the hotel and every
/// host of every ticket at the same state hash; last, a node made slow is relieved of its instances by the service
/// levels the anchors keep in the shared store. It returns the failures naming what did not happen.
public struct DemoClusterStory: Sendable {
    let story: DemoStory
    /// The anchoring nodes, in the order the nodes were given them.
    let anchors: [DemoStory.Node]
    /// How long the hotel holds each of the rebooking's first calls before failing it.
    static let heldSeconds: Double = 6

    public init(story: DemoStory, anchors: [DemoStory.Node]) {
        self.story = story
        self.anchors = anchors
    }

    func narrate(_ line: String) { story.narrate(line) }

    public func play() async -> [String] {
        guard let entry = story.nodes.first, let devnet = story.devnet, story.nodes.count > 1 else {
            return ["the cluster story needs several service nodes and the devnet's control"]
        }
        narrate(
            "\(anchors.count) anchoring nodes share one PostgreSQL store: "
                + anchors.map(\.name).joined(separator: ", "))
        narrate(
            "each service node keeps its journals and instances in a schema of its own in the same database: "
                + story.nodes.map(\.name).joined(separator: ", "))
        let script: String
        switch await story.flightTicketScript(on: entry) {
        case .success(let name): script = name
        case .failure(let failure): return [failure.description]
        }
        for ticket in DemoStory.tickets {
            if let failure = await story.createTicket(ticket.id, flight: ticket.flight, script: script, on: entry) {
                return [failure]
            }
        }
        var failures: [String] = []
        for ticket in DemoStory.tickets { await story.hostedEverywhere(ticket.id, failures: &failures) }
        await story.publish("scheduled", flight: "LH400", delay: 0, failures: &failures)
        await story.publish("scheduled", flight: "LH401", delay: 0, failures: &failures)
        for ticket in DemoStory.tickets { await story.expect(ticket.id, reaches: "active", failures: &failures) }

        let key = story.rebookingKey("LH400")
        await story.hotel.inject(DemoHotel.FaultPlan(fault: .timeout(seconds: Self.heldSeconds), calls: 2), forKey: key)
        narrate("LH400 is delayed by 400 minutes: the executors rebook the hotel under one idempotency key,")
        narrate(String(format: "and the hotel holds the first calls for %.0f s.", Self.heldSeconds))
        let executor = executorNode(of: "ticket-1")
        await story.publish("delay", flight: "LH400", delay: 400, failures: &failures)
        let called = await story.poll(every: .milliseconds(50)) {
            await story.hotel.keyStats.contains { $0.key == key && $0.calls > 0 }
        }
        if !called { failures.append("no rebooking call reached the hotel") }
        let killedAt = Date()
        narrate("the hotel holds a booking call: the devnet kills ticket-1's executor \(executor.name) (SIGKILL).")
        if let failure = await devnet.kill(executor.name) {
            return failures + ["killing \(executor.name): \(failure)"]
        }
        let survivors = story.on(story.nodes.filter { $0.name != executor.name })
        for ticket in DemoStory.tickets where ticket.flight == "LH400" {
            await survivors.expect(ticket.id, reaches: "rebooked", seconds: story.stepSeconds * 4, failures: &failures)
        }
        narrate(
            String(
                format: "rebooked %.0f s after the kill, by a host elected once the dead lease ended.",
                Date().timeIntervalSince(killedAt)))

        if anchors.count > 1 {
            await killAnchor(devnet, survivors: survivors, failures: &failures)
        }
        if let failure = await devnet.startAgain(executor.name, executor.url) {
            return failures + ["starting \(executor.name) again: \(failure)"]
        }
        narrate("\(executor.name) is back and catches up from the log:")
        for ticket in DemoStory.tickets {
            await story.expect(
                ticket.id, reaches: ticket.flight == "LH400" ? "rebooked" : anchors.count > 1 ? "lounge" : "active",
                seconds: story.stepSeconds * 2, failures: &failures)
        }
        failures += await DemoStoryChecks(story: story).finalChecks()
        // Last, since it moves instances: a slow node relieved by the service levels both anchors record.
        failures += await DemoSlowNode(story: story, instance: "ticket-1").play()
        return failures
    }

    /// Kills the first anchoring node; the nodes still up go on through the other: LH401's delay is logged and
    /// its tickets reach the lounge.
    private func killAnchor(_ devnet: DemoDevnetControl, survivors: DemoStory, failures: inout [String]) async {
        let anchor = anchors[0]
        narrate("the devnet kills the anchoring node \(anchor.name) (SIGKILL); the nodes fail over to the others.")
        if let failure = await devnet.kill(anchor.name) {
            failures.append("killing \(anchor.name): \(failure)")
            return
        }
        narrate("LH401 is delayed by 200 minutes, with \(anchor.name) down:")
        await survivors.publish("delay", flight: "LH401", delay: 200, failures: &failures)
        for ticket in DemoStory.tickets where ticket.flight == "LH401" {
            await survivors.expect(ticket.id, reaches: "lounge", failures: &failures)
        }
    }

    /// The node that executes `instance`: the first in its rendezvous ranking (every node has capacity 1 here).
    private func executorNode(of instance: String) -> DemoStory.Node {
        let ranking = RendezvousRanking.rank(instance, over: story.nodes.map { ServiceNode(id: $0.name) })
        return story.nodes.first { $0.name == ranking.first?.id } ?? story.nodes[0]
    }
}
