import Testing

@testable import TokenScriptNode

/// When a node places instances again: every new instance once, every known one after a membership change, and
/// nothing while the membership stays as it was.
@Suite("NodePlacementState")
struct NodePlacementStateTests {
    @Test("new instances are pending once; a changed membership or replica count makes every known one pending")
    func pendingFollowsChanges() {
        var state = NodePlacementState()
        let firstPoll = state.observe(healthy: ["n1#1", "n2#1"], replicas: 2)
        #expect(firstPoll, "the first poll is a change")
        state.learn("ticket-1")
        state.learn("ticket-2")
        state.learn("ticket-1")
        #expect(state.pending == ["ticket-1", "ticket-2"])
        state.pending = []
        let reordered = state.observe(healthy: ["n2#1", "n1#1"], replicas: 2)
        #expect(!reordered, "the same members, in another order")
        #expect(state.pending.isEmpty)
        state.learn("ticket-1")
        #expect(state.pending.isEmpty, "an instance read again is not new")
        let joined = state.observe(healthy: ["n1#1", "n2#1", "n3#1"], replicas: 2)
        #expect(joined, "a node joined")
        #expect(state.pending == ["ticket-1", "ticket-2"])
        state.pending = []
        let reweighted = state.observe(healthy: ["n1#1", "n2#2", "n3#1"], replicas: 2)
        #expect(reweighted, "a node's capacity changed")
        state.pending = []
        let moreReplicas = state.observe(healthy: ["n1#1", "n2#2", "n3#1"], replicas: 3)
        #expect(moreReplicas, "the replica count changed")
        #expect(state.pending == ["ticket-1", "ticket-2"])
    }
}
