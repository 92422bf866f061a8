import Testing
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptModel
import TokenScriptSQLite

/// `SQLiteInstanceLifecycle`: resting instances found by topic from the store, bytewise, and retirement.
@Suite("SQLite instance lifecycle")
struct SQLiteInstanceLifecycleTests {
    static func log(_ pattern: String) -> SubscriptionPattern {
        SubscriptionPattern(TopicPattern(pattern), delivery: .log)
    }

    @Test(
        """
        a topic finds the resting instances waiting on it exactly or by a prefix, compared by bytes (an NFD \
        spelling is another topic); addressed patterns are not indexed; waking forgets every row
        """
    )
    func findsByTopic() async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let lifecycle = SQLiteInstanceLifecycle(store: store)
        try await lifecycle.markDormant("nfc", waitingOn: [Self.log("flight-status/LH400\u{e9}")], since: 1)
        try await lifecycle.markDormant("wide", waitingOn: [Self.log("flight-status/*")], since: 1)
        try await lifecycle.markDormant(
            "addressed", waitingOn: [SubscriptionPattern(TopicPattern("flight-status/*"), delivery: .addressed)],
            since: 1)
        try await lifecycle.markDormant("every", waitingOn: [Self.log("*")], since: 1)

        #expect(try await lifecycle.dormantInstances(needing: "flight-status/LH400\u{e9}") == ["every", "nfc", "wide"])
        #expect(try await lifecycle.dormantInstances(needing: "flight-status/LH400e\u{301}") == ["every", "wide"])
        #expect(try await lifecycle.dormantInstances(needing: "gate/A12") == ["every"])
        #expect(try await lifecycle.dormantCount() == 4)
        #expect(try await lifecycle.isDormant("wide"))

        try await lifecycle.markAwake("wide")
        #expect(try await lifecycle.isDormant("wide") == false)
        #expect(try await lifecycle.dormantInstances(needing: "flight-status/LH400\u{e9}") == ["every", "nfc"])
        #expect(try await lifecycle.dormantCount() == 3)
    }

    @Test("retiring deletes the journal, the head and the resting rows in one write, and records the retirement")
    func retires() async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let instance = TokenInstance(definitionID: "d", id: "i-1", state: "cancelled", attributes: [:])
        let instances = SQLiteInstanceStore(store: store)
        try await instances.create(instance, fencedBy: nil)
        _ = try SQLiteJournalStore(creating: JournalHeader(for: instance), in: store)
        let lifecycle = SQLiteInstanceLifecycle(store: store)
        try await lifecycle.markDormant("i-1", waitingOn: [Self.log("insurance/P-77")], since: 1)
        let retired = RetiredInstance(
            id: "i-1", definitionID: "d", step: 0, stateHash: instance.stateHash, retiredAt: 7,
            archive: "/a/i-1.journal")
        try await lifecycle.retire(retired)

        #expect(try await lifecycle.retired("i-1") == retired)
        #expect(try await lifecycle.retired("i-2") == nil)
        #expect(try await instances.instance("i-1") == nil)
        #expect(throws: JournalStoreError.self) { try SQLiteJournalStore(opening: "i-1", in: store) }
        #expect(try await lifecycle.dormantCount() == 0)
        #expect(try await lifecycle.dormantInstances(needing: "insurance/P-77").isEmpty)
        #expect(try await lifecycle.activeSummaries().isEmpty)
        #expect(try await lifecycle.retiredCount() == 1)
    }

    @Test("a network node's positions are kept per exact topic and read back at a restart; prefix rows have none")
    func keepsPositions() async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let lifecycle = SQLiteInstanceLifecycle(store: store)
        try await lifecycle.markDormant(
            "t1", waitingOn: [Self.log("flight-status/LH2024"), Self.log("gate/*")], since: 1,
            positions: [ExactText("flight-status/LH2024"): 7, ExactText("gate/"): 3])
        try await lifecycle.markDormant("t2", waitingOn: [Self.log("flight-status/LH2024")], since: 1)
        let follows = try await lifecycle.restingFollows()
        #expect(follows.map(\.instance) == ["t1"])
        #expect(follows.map(\.topic) == [ExactText("flight-status/LH2024")])
        #expect(follows.map(\.next) == [7])
        #expect(try await lifecycle.dormantIDs() == ["t1", "t2"])
    }
}
