import PostgresNIO
import TokenScriptRuntime

/// An instance's row in `token_instance` as a journal entry's snapshot leaves it: its step and canonical JSON
/// (the snapshot is `TokenInstance.canonicalValue`, so its JSON is the row's `canonical` byte for byte). Written by
/// a journal that keeps the head (`PostgresJournalStore.keepsInstanceHead`) in its append's transaction.
struct PostgresInstanceHead: Sendable {
    let step: UInt64
    let canonical: String

    /// Nil for a snapshot without a step (never one the engine journals).
    init?(_ snapshot: SandboxValue) {
        guard case .int(let step)? = snapshot.objectMembers?["step"], step >= 0 else { return nil }
        self.step = UInt64(step)
        self.canonical = snapshot.jsonText
    }

    /// Moves the row forward to this step; a row that is missing (an instance still being created writes its row
    /// last) or already at this step or later (a rejected delivery keeps the step) is left alone.
    func advance(_ instanceID: String, on connection: PostgresConnection) async throws {
        let stored = PostgresNumber.stored(step)
        try await connection.query(
            """
            UPDATE token_instance SET step = \(stored), canonical = \(canonical)
            WHERE id = \(instanceID) AND ts_unsigned(step) < ts_unsigned(\(stored))
            """, logger: PostgresStore.quiet)
    }
}
