import TokenScriptEngine
import TokenScriptRuntime

/// A node's dormant and retired instances in memory, beside an `InMemoryInstanceStore` and `InMemoryJournals` it
/// stores instances at rest in and deletes retired ones from: tests and the conformance suite's reference. Keys are
/// the ids' and topics' bytes (`ExactText`), as the databases' are.
public actor InMemoryInstanceLifecycle: InstanceLifecycleStore {
    /// A topic a dormant instance waits on: exactly, or every topic starting with `stem`.
    private struct Waiting: Sendable {
        var stem: ExactText
        var prefix: Bool
        var next: UInt64?
    }

    private let instances: InMemoryInstanceStore
    private let journals: InMemoryJournals
    private var dormant: [ExactText: [Waiting]] = [:]
    private var retirements: [ExactText: RetiredInstance] = [:]

    public init(instances: InMemoryInstanceStore, journals: InMemoryJournals) {
        self.instances = instances
        self.journals = journals
    }

    public func markDormant(
        _ id: String, waitingOn patterns: [SubscriptionPattern], since time: UInt64, positions: [ExactText: UInt64]
    ) {
        var waiting: [Waiting] = []
        for pattern in patterns where pattern.delivery == .log {
            let item = Waiting(
                stem: pattern.text, prefix: pattern.match == .prefix,
                next: pattern.match == .exact ? positions[pattern.text] : nil)
            if !waiting.contains(where: { $0.stem == item.stem && $0.prefix == item.prefix }) { waiting.append(item) }
        }
        dormant[ExactText(id)] = waiting
    }

    public func restingFollows() -> [(instance: String, topic: ExactText, next: UInt64)] {
        dormant.keys.sorted().flatMap { id in
            (dormant[id] ?? []).filter { !$0.prefix }.sorted { $0.stem < $1.stem }.compactMap { waiting in
                waiting.next.map { (id.description, waiting.stem, $0) }
            }
        }
    }

    public func dormantIDs() -> [String] { dormant.keys.sorted().map(\.description) }

    public func storeResting(_ resting: [RestingInstance], since time: UInt64) async throws {
        var heads: [TokenInstance] = []
        var headers: [JournalHeader] = []
        for instance in resting {
            guard let value = try? SandboxValue.parseJSON(instance.canonical),
                let head = TokenInstance(canonicalValue: value, definitionID: instance.definitionID),
                head.id == instance.id,
                let header = try? Journal(bytes: instance.journalHeader + [0x0a]).header
            else {
                throw InstanceStoreError.unreadable(
                    instance: instance.id, reason: "its canonical JSON or journal header does not read")
            }
            heads.append(head)
            headers.append(header)
        }
        if let taken = resting.first(where: { journals.contains($0.id) }) {
            throw InstanceStoreError.exists(instance: taken.id)
        }
        try await instances.createAll(heads)
        _ = try journals.createAll(headers)
        for instance in resting {
            markDormant(instance.id, waitingOn: instance.patterns, since: time, positions: [:])
        }
    }

    public func markAwake(_ id: String) { dormant[ExactText(id)] = nil }

    public func isDormant(_ id: String) -> Bool { dormant[ExactText(id)] != nil }

    public func restingDefinition(of id: String) async -> String? {
        guard isDormant(id) else { return nil }
        return await instances.instance(id)?.definitionID
    }

    public func dormantCount() -> Int { dormant.count }

    public func dormantInstances(needing topic: String) -> [String] {
        let bytes = ExactText(topic)
        return dormant.filter { _, waiting in
            waiting.contains { $0.prefix ? bytes.bytes.starts(with: $0.stem.bytes) : $0.stem == bytes }
        }.keys.sorted().map(\.description)
    }

    public func activeSummaries() async -> [StoredInstanceSummary] {
        await instances.summaries().filter { dormant[ExactText($0.id)] == nil }
    }

    public func summaries() async -> [StoredInstanceSummary] { await instances.summaries() }

    public func retire(_ instance: RetiredInstance) async {
        retirements[ExactText(instance.id)] = instance
        journals.remove(instance.id)
        await instances.remove(instance.id)
        dormant[ExactText(instance.id)] = nil
    }

    public func retired(_ id: String) -> RetiredInstance? { retirements[ExactText(id)] }

    public func retiredCount() -> Int { retirements.count }
}
