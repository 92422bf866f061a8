import Testing
import TokenScriptCluster

@testable import TokenScriptNode

/// Inbox pointers a node defers: due once a whole tick has passed since they were added, in the order added.
@Suite("DeferredPointers")
struct DeferredPointersTests {
    @Test("a pointer is due at the second tick after it was added, never at the first")
    func dueAfterAWholeTick() {
        var pointers = DeferredPointers()
        pointers.add(RecentEntriesTests.entry("t", 1), for: "a")
        #expect(pointers.takeDue().isEmpty, "added since the last tick: it has not waited a whole tick")
        pointers.add(RecentEntriesTests.entry("t", 2), for: "b")
        let due = pointers.takeDue()
        #expect(due.map(\.instance) == ["a"])
        #expect(due.map(\.input.position) == [1])
        #expect(!pointers.isEmpty)
        #expect(pointers.takeDue().map(\.instance) == ["b"])
        #expect(pointers.isEmpty)
    }
}
