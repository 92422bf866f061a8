import TokenScriptCluster
import TokenScriptEngine
import TokenScriptModel

/// An `InstanceLifecycleStore` under test, with the instance store and journals of the same store (a retirement
/// deletes both).
public struct InstanceLifecycleSubject: Sendable {
    public var lifecycle: any InstanceLifecycleStore
    public var instances: any InstanceStore
    /// Creates the journal of an instance in the same store.
    public var createJournal: @Sendable (JournalHeader) async throws -> any JournalStore
    /// Opens it again; throws when there is none.
    public var openJournal: @Sendable (String) async throws -> any JournalStore

    public init(
        lifecycle: any InstanceLifecycleStore, instances: any InstanceStore,
        createJournal: @escaping @Sendable (JournalHeader) async throws -> any JournalStore,
        openJournal: @escaping @Sendable (String) async throws -> any JournalStore
    ) {
        self.lifecycle = lifecycle
        self.instances = instances
        self.createJournal = createJournal
        self.openJournal = openJournal
    }
}

/// The rules of `InstanceLifecycleStore`: dormant instances found by topic, bytewise; positions kept for a
/// network node; bulk storage at rest refused as a whole; retirement deleting the journal, the head and the marks.
public enum InstanceLifecycleConformance {
    public static let checks: [ConformanceCheck<InstanceLifecycleSubject>] = [
        ConformanceCheck(
            "a topic finds the dormant instances waiting on it exactly or by a prefix, by bytes; waking forgets them",
            run: findsByTopic),
        ConformanceCheck("a network node's positions are kept per exact topic; prefix rows have none", run: positions),
        ConformanceCheck("instances stored at rest in one write, refused as a whole over an existing id", run: resting),
        ConformanceCheck(
            "retiring deletes the journal, the head and the marks, and records the retirement", run: retire),
    ]

    static let expect = Expectations(protocolName: "InstanceLifecycleStore")

    static func log(_ pattern: String) -> SubscriptionPattern {
        SubscriptionPattern(TopicPattern(pattern), delivery: .log)
    }

    static func findsByTopic(_ subject: InstanceLifecycleSubject) async throws {
        let lifecycle = subject.lifecycle
        try await lifecycle.markDormant("nfc", waitingOn: [log("flight-status/LH400\u{e9}")], since: 1)
        try await lifecycle.markDormant("wide", waitingOn: [log("flight-status/*")], since: 1)
        try await lifecycle.markDormant(
            "addressed", waitingOn: [SubscriptionPattern(TopicPattern("flight-status/*"), delivery: .addressed)],
            since: 1)
        try await lifecycle.markDormant("every", waitingOn: [log("*")], since: 1)
        try expect.equal(
            try await lifecycle.dormantInstances(needing: "flight-status/LH400\u{e9}"), ["every", "nfc", "wide"],
            "instances needing the NFC topic")
        // The NFD spelling is canonically equal as a Swift String, and another topic by its bytes.
        try expect.equal(
            try await lifecycle.dormantInstances(needing: "flight-status/LH400e\u{301}"), ["every", "wide"],
            "instances needing the NFD topic")
        try expect.equal(try await lifecycle.dormantInstances(needing: "gate/A12"), ["every"], "instances needing gate")
        try expect.equal(try await lifecycle.dormantCount(), 4, "dormant count")
        try expect.equal(try await lifecycle.isDormant("wide"), true, "wide is dormant")
        try expect.equal(try await lifecycle.dormantIDs(), ["addressed", "every", "nfc", "wide"], "dormant ids")

        try await lifecycle.markAwake("wide")
        try await lifecycle.markAwake("never-dormant")
        try expect.equal(try await lifecycle.isDormant("wide"), false, "wide after waking")
        try expect.equal(
            try await lifecycle.dormantInstances(needing: "flight-status/LH400\u{e9}"), ["every", "nfc"],
            "instances needing the NFC topic after wide woke")
        try expect.equal(try await lifecycle.dormantCount(), 3, "dormant count after waking")

        // Marked again: what was recorded before is replaced, not added to.
        try await lifecycle.markDormant("nfc", waitingOn: [log("gate/B7")], since: 2)
        try expect.equal(
            try await lifecycle.dormantInstances(needing: "flight-status/LH400\u{e9}"), ["every"],
            "the NFC topic after nfc was marked again")
        try expect.equal(try await lifecycle.dormantInstances(needing: "gate/B7"), ["every", "nfc"], "gate/B7")
    }

    static func positions(_ subject: InstanceLifecycleSubject) async throws {
        let lifecycle = subject.lifecycle
        try await lifecycle.markDormant(
            "t1", waitingOn: [log("flight-status/LH2024"), log("gate/*")], since: 1,
            positions: [ExactText("flight-status/LH2024"): 7, ExactText("gate/"): 3])
        try await lifecycle.markDormant("t2", waitingOn: [log("flight-status/LH2024")], since: 1)
        let follows = try await lifecycle.restingFollows()
        try expect.equal(follows.map(\.instance), ["t1"], "instances with kept positions")
        try expect.equal(follows.map(\.topic), [ExactText("flight-status/LH2024")], "topics with kept positions")
        try expect.equal(follows.map(\.next), [7], "kept positions")
        try expect.equal(try await lifecycle.dormantIDs(), ["t1", "t2"], "dormant ids")
    }

    static func resting(_ subject: InstanceLifecycleSubject) async throws {
        let lifecycle = subject.lifecycle
        func resting(_ id: String) -> RestingInstance {
            let instance = TokenInstance(definitionID: "pass@01", id: id, state: "issued", step: 0)
            return RestingInstance(
                id: id, definitionID: instance.definitionID, step: instance.step, canonical: instance.canonicalJSON,
                journalHeader: JournalHeader(for: instance).line, patterns: [log("gate/\(id)")])
        }
        try await lifecycle.storeResting([resting("p-1"), resting("p-2")], since: 5)
        try expect.equal(try await lifecycle.dormantIDs(), ["p-1", "p-2"], "dormant after storing at rest")
        try expect.equal(try await lifecycle.restingDefinition(of: "p-2"), "pass@01", "resting definition")
        try expect.equal(try await lifecycle.restingDefinition(of: "p-3"), nil, "resting definition of a stranger")
        try expect.equal(try await lifecycle.dormantInstances(needing: "gate/p-1"), ["p-1"], "by topic")
        try expect.equal(try await subject.instances.instance("p-1")?.state, "issued", "the head of p-1")
        try expect.equal(try await subject.openJournal("p-1").head().nextSequence, 1, "the journal of p-1")
        try expect.equal(try await lifecycle.activeSummaries(), [], "active summaries")
        try expect.equal(try await lifecycle.summaries().map(\.id), ["p-1", "p-2"], "summaries")

        try await expect.refuses(
            "storing p-3 and p-2 again", expected: "InstanceStoreError.exists",
            matches: { $0 as? InstanceStoreError == .exists(instance: "p-2") }
        ) { try await lifecycle.storeResting([resting("p-3"), resting("p-2")], since: 6) }
        try expect.equal(try await lifecycle.dormantIDs(), ["p-1", "p-2"], "nothing of the refused write")
        try expect.equal(try await subject.instances.instance("p-3"), nil, "no head of p-3")

        try await lifecycle.markAwake("p-1")
        try expect.equal(try await lifecycle.activeSummaries().map(\.id), ["p-1"], "active after waking p-1")
        try expect.equal(try await lifecycle.restingDefinition(of: "p-1"), nil, "an awake instance is not resting")
    }

    static func retire(_ subject: InstanceLifecycleSubject) async throws {
        let lifecycle = subject.lifecycle
        let instance = TokenInstance(definitionID: "d", id: "i-1", state: "cancelled", attributes: [:])
        try await subject.instances.create(instance, fencedBy: nil)
        _ = try await subject.createJournal(JournalHeader(for: instance))
        try await lifecycle.markDormant("i-1", waitingOn: [log("insurance/P-77")], since: 1)
        let retired = RetiredInstance(
            id: "i-1", definitionID: "d", step: 0, stateHash: instance.stateHash, retiredAt: 7,
            archive: "/a/i-1.journal")
        try await lifecycle.retire(retired)

        try expect.equal(try await lifecycle.retired("i-1"), retired, "the retirement record")
        try expect.equal(try await lifecycle.retired("i-2"), nil, "a retirement never made")
        try expect.equal(try await subject.instances.instance("i-1"), nil, "the head after retirement")
        try await expect.refuses(
            "opening the retired journal", expected: "an error", matches: { _ in true }
        ) { _ = try await subject.openJournal("i-1") }
        try expect.equal(try await lifecycle.dormantCount(), 0, "dormant count")
        try expect.equal(try await lifecycle.dormantInstances(needing: "insurance/P-77"), [], "by topic")
        try expect.equal(try await lifecycle.activeSummaries(), [], "active summaries")
        try expect.equal(try await lifecycle.retiredCount(), 1, "retired count")
    }
}
