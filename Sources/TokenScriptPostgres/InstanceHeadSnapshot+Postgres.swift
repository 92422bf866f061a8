import PostgresNIO
import TokenScriptEngine

extension InstanceHeadSnapshot {
    /// Moves the instance's row in `token_instance` forward to this step, in the append's transaction of a journal
    /// that keeps the head (`PostgresJournalStore.keepsInstanceHead`); a row that is missing (an instance still being
    /// created writes its row last) or already at this step or later (a rejected delivery keeps the step) is left
    /// alone.
    func advance(_ instanceID: String, on connection: PostgresConnection) async throws {
        let stored = PostgresNumber.stored(step)
        try await connection.query(
            """
            UPDATE token_instance SET step = \(stored), canonical = \(canonical)
            WHERE id = \(instanceID) AND ts_unsigned(step) < ts_unsigned(\(stored))
            """, logger: PostgresStore.quiet)
    }
}
