import Testing
import TokenScriptCluster

@testable import TokenScriptNode

/// The bookkeeping of the topics a network node follows: one reader per topic from the lowest position any
/// instance needs, each entry handed only to the instances it counts for, topics keyed by their bytes.
@Suite("FollowedTopics")
struct FollowedTopicsTests {
    static let flight = ExactText("flight-status/LH2024")

    @Test("each instance counts a topic from its own start; the reader starts at the lowest")
    func perInstanceStarts() {
        var followed = FollowedTopics()
        followed.add(instance: "ticket-1", topic: Self.flight, from: 5)
        followed.add(instance: "ticket-2", topic: Self.flight, from: 3)
        #expect(followed.start(of: Self.flight) == 3)
        #expect(followed.instances(counting: 3, of: Self.flight) == ["ticket-2"])
        #expect(followed.instances(counting: 5, of: Self.flight) == ["ticket-1", "ticket-2"])
        followed.add(instance: "ticket-2", topic: Self.flight, from: 9)
        #expect(followed.start(of: Self.flight) == 3, "an instance already following keeps its position")
        followed.pass(instance: "ticket-2", topic: Self.flight, position: 3)
        followed.pass(instance: "ticket-2", topic: Self.flight, position: 4)
        #expect(followed.start(of: Self.flight) == 5)
        #expect(followed.instances(counting: 4, of: Self.flight).isEmpty, "a handled entry is not handed again")
        followed.pass(instance: "ticket-2", topic: Self.flight, position: 2)
        #expect(followed.start(of: Self.flight) == 5, "passing an earlier entry moves nothing back")
    }

    @Test("a topic is unfollowed with its last instance; topics of one instance are listed by bytes")
    func unfollowing() {
        var followed = FollowedTopics()
        let composed = ExactText("flight-status/LH400\u{E9}")
        let decomposed = ExactText("flight-status/LH400e\u{301}")
        followed.add(instance: "ticket-1", topic: composed, from: 1)
        followed.add(instance: "ticket-2", topic: composed, from: 1)
        followed.add(instance: "ticket-2", topic: decomposed, from: 1)
        #expect(followed.topics(of: "ticket-2") == [composed, decomposed])
        #expect(followed.instances(counting: 1, of: decomposed) == ["ticket-2"])
        let firstLeft = followed.remove(instance: "ticket-1", topic: composed)
        #expect(!firstLeft, "ticket-2 still follows it")
        let lastLeft = followed.remove(instance: "ticket-2", topic: composed)
        #expect(lastLeft)
        #expect(followed.start(of: composed) == nil)
        #expect(followed.allTopics == [decomposed])
        #expect(followed.topics(of: "ticket-1").isEmpty)
    }
}
