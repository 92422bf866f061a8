import TokenScriptCluster
import TokenScriptEngine

/// An `InstanceStore` under test, with the election its fenced writes are checked against.
public struct InstanceStoreSubject: Sendable {
    public var store: any InstanceStore
    public var election: any ExecutorElection

    public init(store: any InstanceStore, election: any ExecutorElection) {
        self.store = store
        self.election = election
    }
}

/// The rules of `InstanceStore`: instances by id with their definition, compare-and-set on the step,
/// fenced writes.
public enum InstanceStoreConformance {
    public static let checks: [ConformanceCheck<InstanceStoreSubject>] = [
        ConformanceCheck("create, read and list by definition; a second create is refused", run: createAndRead),
        ConformanceCheck("replace is a compare-and-set on the step", run: compareAndSetOnStep),
        ConformanceCheck("concurrent writers from one step: exactly one wins", run: concurrentWriters),
        ConformanceCheck("a replacement keeps its definition and advances its step", run: replacementRules),
        ConformanceCheck("a stale or foreign lease is refused and writes nothing", run: fencing),
        ConformanceCheck("ids are bytes: an NFC and an NFD spelling are two instances", run: idsAreBytes),
    ]

    static let expect = Expectations(protocolName: "InstanceStore")
    static let definition = "hotel@0123456789abcdef"

    static func instance(_ id: String, step: UInt64, state: String = "booked") -> TokenInstance {
        TokenInstance(definitionID: definition, id: id, state: state, topicPositions: ["t": step], step: step)
    }

    static func isStoreError(_ expected: InstanceStoreError) -> (any Error) -> Bool {
        { $0 as? InstanceStoreError == expected }
    }

    static func createAndRead(_ subject: InstanceStoreSubject) async throws {
        let store = subject.store
        try expect.equal(try await store.instance("ticket-1"), nil, "read before create")
        try await store.create(instance("ticket-2", step: 0), fencedBy: nil)
        try await store.create(instance("ticket-1", step: 0), fencedBy: nil)
        var other = instance("other-1", step: 0)
        other.definitionID = "flight@fedcba9876543210"
        try await store.create(other, fencedBy: nil)
        try expect.equal(try await store.instance("ticket-1"), instance("ticket-1", step: 0), "read after create")
        try expect.equal(try await store.instances(of: definition), ["ticket-1", "ticket-2"], "instances of hotel")
        try await expect.refuses(
            "second create of ticket-1", expected: "InstanceStoreError.exists",
            matches: isStoreError(.exists(instance: "ticket-1"))
        ) { try await store.create(instance("ticket-1", step: 5, state: "other"), fencedBy: nil) }
        try expect.equal(try await store.instance("ticket-1"), instance("ticket-1", step: 0), "read after refusal")
    }

    static func compareAndSetOnStep(_ subject: InstanceStoreSubject) async throws {
        let store = subject.store
        try await store.create(instance("ticket-1", step: 0), fencedBy: nil)
        try await store.replace(instance("ticket-1", step: 1, state: "paid"), expectingStep: 0, fencedBy: nil)
        try await expect.refuses(
            "replace expecting step 0 when step 1 is stored", expected: "InstanceStoreError.stepMismatch",
            matches: isStoreError(.stepMismatch(instance: "ticket-1", expected: 0, stored: 1))
        ) { try await store.replace(instance("ticket-1", step: 1, state: "lost"), expectingStep: 0, fencedBy: nil) }
        let afterLostCAS = try await store.instance("ticket-1")
        try expect.equal(afterLostCAS, instance("ticket-1", step: 1, state: "paid"), "read after the lost CAS")
        try await store.replace(instance("ticket-1", step: 2, state: "used"), expectingStep: 1, fencedBy: nil)
        try expect.equal(try await store.instance("ticket-1")?.state, "used", "state after the second replace")
        try await expect.refuses(
            "replace of an unknown instance", expected: "InstanceStoreError.notFound",
            matches: isStoreError(.notFound(instance: "ticket-9"))
        ) { try await store.replace(instance("ticket-9", step: 1), expectingStep: 0, fencedBy: nil) }
    }

    static func concurrentWriters(_ subject: InstanceStoreSubject) async throws {
        let store = subject.store
        try await store.create(instance("ticket-1", step: 3), fencedBy: nil)
        let winners = await withTaskGroup(of: String?.self) { group in
            for writer in 0..<24 {
                group.addTask {
                    let next = instance("ticket-1", step: 4, state: "writer-\(writer)")
                    return (try? await store.replace(next, expectingStep: 3, fencedBy: nil)).map { "writer-\(writer)" }
                }
            }
            var won: [String] = []
            for await winner in group { if let winner { won.append(winner) } }
            return won
        }
        try expect.equal(winners.count, 1, "24 writers replace step 3 at once: winners")
        try expect.equal(try await store.instance("ticket-1")?.state, winners.first, "state written by the winner")
    }

    static func replacementRules(_ subject: InstanceStoreSubject) async throws {
        let store = subject.store
        try await store.create(instance("ticket-1", step: 2), fencedBy: nil)
        try await expect.refuses(
            "replace with the same step", expected: "InstanceStoreError.stepNotAdvancing",
            matches: isStoreError(.stepNotAdvancing(instance: "ticket-1", from: 2, to: 2))
        ) { try await store.replace(instance("ticket-1", step: 2, state: "x"), expectingStep: 2, fencedBy: nil) }
        var other = instance("ticket-1", step: 3)
        other.definitionID = "flight@fedcba9876543210"
        try await expect.refuses(
            "replace with another definition", expected: "InstanceStoreError.definitionChanged",
            matches: { $0 is InstanceStoreError }
        ) { try await store.replace(other, expectingStep: 2, fencedBy: nil) }
        try await expect.refuses(
            "create with an empty id", expected: "InstanceStoreError.emptyName", matches: { $0 is InstanceStoreError }
        ) { try await store.create(instance("", step: 0), fencedBy: nil) }
        try expect.equal(try await store.instance("ticket-1"), instance("ticket-1", step: 2), "read after refusals")
    }

    static func fencing(_ subject: InstanceStoreSubject) async throws {
        let store = subject.store
        let election = subject.election
        let old = try await election.acquire("ticket-1", for: "node-a", seenEpoch: 0)
        try await store.create(instance("ticket-1", step: 0), fencedBy: old.lease)
        try await store.replace(instance("ticket-1", step: 1), expectingStep: 0, fencedBy: old.lease)
        let current = try await election.takeOver("ticket-1", for: "node-b", seenEpoch: 1)
        try await expect.refuses(
            "replace under the stale epoch 1", expected: "StaleLeaseError", matches: { $0 is StaleLeaseError }
        ) {
            try await store.replace(
                instance("ticket-1", step: 2, state: "stale"), expectingStep: 1, fencedBy: old.lease)
        }
        try await expect.refuses(
            "create of ticket-2 under ticket-1's lease", expected: "InstanceStoreError.leaseForOtherInstance",
            matches: isStoreError(.leaseForOtherInstance(instance: "ticket-2", lease: current.lease))
        ) { try await store.create(instance("ticket-2", step: 0), fencedBy: current.lease) }
        let afterStaleWrite = try await store.instance("ticket-1")
        try expect.equal(afterStaleWrite, instance("ticket-1", step: 1), "read after the stale write")
        try expect.equal(try await store.instance("ticket-2"), nil, "ticket-2 after the foreign lease")
        try await store.replace(
            instance("ticket-1", step: 2, state: "current"), expectingStep: 1, fencedBy: current.lease)
        try expect.equal(try await store.instance("ticket-1")?.state, "current", "state written under epoch 2")
    }

    static func idsAreBytes(_ subject: InstanceStoreSubject) async throws {
        let store = subject.store
        let composed = "caf\u{e9}-1"
        let decomposed = "cafe\u{301}-1"
        try await store.create(instance(composed, step: 0), fencedBy: nil)
        try expect.equal(try await store.instance(decomposed), nil, "read of the NFD id after creating the NFC one")
        try await store.create(instance(decomposed, step: 3), fencedBy: nil)
        try expect.equal(try await store.instance(composed)?.step, 0, "the NFC instance")
        try expect.equal(try await store.instance(decomposed)?.step, 3, "the NFD instance")
        try expect.equal(
            try await store.instances(of: definition).map { Array($0.utf8) },
            [Array(composed.utf8), Array(decomposed.utf8)].sorted { $0.lexicographicallyPrecedes($1) },
            "both listed, bytewise")
    }
}
