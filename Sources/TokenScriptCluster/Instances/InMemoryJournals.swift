import Synchronization
import TokenScriptEngine

/// A node's journals in memory, by the instance id's bytes: the in-memory counterpart of the journal tables of the
/// SQLite and PostgreSQL stores, so `InMemoryInstanceLifecycle` can store journals at rest and delete them.
public final class InMemoryJournals: Sendable {
    private let journals = Mutex<[ExactText: InMemoryJournalStore]>([:])

    public init() {}

    /// Creates the journal of `header.instanceID`, holding only `header`.
    /// - Throws: `.headerMismatch` when there is one for that instance already.
    public func create(_ header: JournalHeader) throws(JournalStoreError) -> InMemoryJournalStore {
        try createAll([header])[0]
    }

    /// The journal of `instanceID`.
    /// - Throws: `.io` when there is none.
    public func open(_ instanceID: String) throws(JournalStoreError) -> InMemoryJournalStore {
        guard let journal = journals.withLock({ $0[ExactText(instanceID)] }) else {
            throw JournalStoreError(.io(path: "memory", message: "no journal for instance \(instanceID)"))
        }
        return journal
    }

    func contains(_ instanceID: String) -> Bool { journals.withLock { $0[ExactText(instanceID)] != nil } }

    /// Every journal of `headers`, or none when one instance has a journal already (or is named twice).
    func createAll(_ headers: [JournalHeader]) throws(JournalStoreError) -> [InMemoryJournalStore] {
        let result: Result<[InMemoryJournalStore], JournalStoreError> = journals.withLock { journals in
            var seen = Set<ExactText>()
            for header in headers
            where journals[ExactText(header.instanceID)] != nil
                || !seen.insert(ExactText(header.instanceID)).inserted
            {
                return .failure(
                    JournalStoreError(
                        .headerMismatch(
                            field: "instance", detail: "memory holds a journal for instance \(header.instanceID)")))
            }
            let created = headers.map { InMemoryJournalStore(header: $0) }
            for journal in created { journals[ExactText(journal.header.instanceID)] = journal }
            return .success(created)
        }
        return try result.get()
    }

    func remove(_ instanceID: String) { _ = journals.withLock { $0.removeValue(forKey: ExactText(instanceID)) } }
}
