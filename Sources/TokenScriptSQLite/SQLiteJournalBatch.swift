import Foundation
import GRDB
import TokenScriptEngine

extension SQLiteJournalStore {
    /// Appends entries to several journals of one store in one transaction: one sync of the file for all of
    /// them, the way a node applying one attestation to many instances keeps up with `synchronous = FULL`.
    ///
    /// Each entry must continue its journal as `append(_:)` requires, checked against the file in order
    /// (two entries of one journal in a batch follow each other). All or nothing: the first refusal throws
    /// and no entry of the batch is written. Each journal's `updates(after:)` streams get their entries
    /// after the commit, in batch order.
    /// - Throws: the refusal `append(_:)` would throw; `.io` when a journal is not in `store`'s file or the
    ///   file cannot be written.
    public static func append(
        _ batch: [(journal: SQLiteJournalStore, entry: SealedJournalEntry)], in store: SQLiteStore
    ) async throws(JournalStoreError) {
        if let foreign = batch.first(where: { $0.journal.store !== store }) {
            throw JournalStoreError(
                .io(
                    path: store.path,
                    message: "the journal of \(foreign.journal.header.instanceID) is in \(foreign.journal.store.path)"))
        }
        guard !batch.isEmpty else { return }
        let rows = batch.map { (header: $0.journal.header, entry: $0.entry) }
        do {
            try await store.pool.write { db in
                for (header, entry) in rows {
                    try storedHead(header, in: db).checkContinues(with: entry)
                    try db.execute(
                        sql: "INSERT INTO journal_entry (instance, sequence, line, hash) VALUES (?, ?, ?, ?)",
                        arguments: [
                            header.instanceID, SQLiteInteger.stored(entry.entry.sequence), Data(entry.line),
                            entry.hash,
                        ])
                }
            }
        } catch let error as JournalStoreError {
            throw error
        } catch {
            let message = "append a batch of \(batch.count) journal entries: \(SQLiteStore.message(of: error))"
            throw JournalStoreError(.io(path: store.path, message: message))
        }
        for (journal, entry) in batch { await journal.publish(entry) }
    }
}
