import TokenScriptEngine

/// The latest state of every token instance, by id, with its definition id.
///
/// Writes are compare-and-set on the instance's `step` (the count of applied events): a node that read
/// step 7 and computed step 8 replaces it only while the store still holds step 7, so two nodes that
/// applied the same event cannot both write. A fenced write also checks the executor's epoch in the same
/// transaction (see `ExecutorElection`). The instance's history is its journal, in the engine's
/// `JournalStore`; this store keeps only the head, for lookup and placement.
public protocol InstanceStore: Sendable {
    /// Stores a new instance.
    /// - Throws: `InstanceStoreError.exists` when the id is taken; `StaleLeaseError` for a stale lease.
    func create(_ instance: TokenInstance, fencedBy lease: ExecutorLease?) async throws

    /// The stored instance with `id`; nil when there is none.
    func instance(_ id: String) async throws -> TokenInstance?

    /// Replaces the stored instance if its step is still `expectedStep`; `instance` keeps the definition id
    /// and has a higher step.
    /// - Throws: `InstanceStoreError.stepMismatch` when someone wrote first (nothing changes), another
    ///   `InstanceStoreError` for a bad replacement, `StaleLeaseError` for a stale lease.
    func replace(_ instance: TokenInstance, expectingStep expectedStep: UInt64, fencedBy lease: ExecutorLease?)
        async throws

    /// The ids of the instances of `definitionID`, sorted by their bytes (an id is its bytes: see `ExactText`).
    func instances(of definitionID: String) async throws -> [String]
}
