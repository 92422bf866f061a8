/// Where a node keeps the instances it does not hold in memory: dormant ones, reinstated on their next request or
/// input, and retired ones, whose journals were archived. One store with the node's journals and instance heads
/// (`InstanceStore`): a retirement deletes the journal and the head in its own transaction.
///
/// A dormant instance keeps its head and journal; the store marks it and lists the log topics it waits on (its
/// subscription's `.log` patterns, by bytes), so a node routes an attestation to it with an indexed lookup instead
/// of an entry per instance in memory. Implementations: `SQLiteInstanceLifecycle`, `PostgresInstanceLifecycle`,
/// both checked by `InstanceLifecycleConformance`.
public protocol InstanceLifecycleStore: Sendable {
    /// Marks `id` dormant since `time`, waiting on `patterns` (its `.log` patterns; others are ignored); a network
    /// node also gives the next position it reads of each exact topic (`positions`, by topic bytes). Replaces what
    /// was recorded for `id` before.
    func markDormant(
        _ id: String, waitingOn patterns: [SubscriptionPattern], since time: UInt64, positions: [ExactText: UInt64]
    ) async throws

    /// Every exact topic a dormant instance waits on with the next position kept for it (a network node's), by
    /// instance: what a restarted network node follows again for them.
    func restingFollows() async throws -> [(instance: String, topic: ExactText, next: UInt64)]

    /// Every dormant instance's id, bytewise.
    func dormantIDs() async throws -> [String]

    /// Stores new instances at rest in one transaction (a bulk creation): each one's head, its journal's header
    /// and its dormant rows. Refused as a whole (`InstanceStoreError.exists`) when one id has a head or a journal.
    func storeResting(_ instances: [RestingInstance], since time: UInt64) async throws

    /// Forgets that `id` is dormant (it is being reinstated); nothing happens when it is not.
    func markAwake(_ id: String) async throws

    /// Whether `id` is marked dormant.
    func isDormant(_ id: String) async throws -> Bool

    /// The definition id of `id` when it is dormant and stored (what reopening it needs), else nil.
    func restingDefinition(of id: String) async throws -> String?

    /// How many instances are dormant.
    func dormantCount() async throws -> Int

    /// The dormant instances an attestation of `topic` reaches, bytewise by id: those waiting on the topic exactly,
    /// or on a prefix of it.
    func dormantInstances(needing topic: String) async throws -> [String]

    /// The stored instances neither dormant nor retired, by id: what a node holds in memory after a restart.
    func activeSummaries() async throws -> [StoredInstanceSummary]

    /// Every stored instance, by id, dormant or not: a node's `GET /v1/instances` (read from the heads alone).
    func summaries() async throws -> [StoredInstanceSummary]

    /// Retires `instance`: records it and deletes its journal, head and dormant rows in one transaction. Its
    /// journal must be archived (at `instance.archive`) before: what is deleted here is gone.
    func retire(_ instance: RetiredInstance) async throws

    /// The retirement record of `id`, or nil when it was never retired.
    func retired(_ id: String) async throws -> RetiredInstance?

    /// How many instances were retired.
    func retiredCount() async throws -> Int
}

extension InstanceLifecycleStore {
    public func markDormant(_ id: String, waitingOn patterns: [SubscriptionPattern], since time: UInt64) async throws {
        try await markDormant(id, waitingOn: patterns, since: time, positions: [:])
    }
}
