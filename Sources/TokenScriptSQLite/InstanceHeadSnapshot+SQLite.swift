import GRDB
import TokenScriptEngine

extension InstanceHeadSnapshot {
    /// Moves the instance's row in `token_instance` forward to this step, in the append's transaction of a journal
    /// that keeps the head (`SQLiteJournalStore.keepsInstanceHead`); a row that is missing (an instance still being
    /// created writes its row last) or already at this step or later (a rejected delivery keeps the step) is left
    /// alone.
    func advance(_ instanceID: String, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE token_instance SET step = ?, canonical = ? WHERE id = ? AND step < ?")
            .execute(
                arguments: [SQLiteInteger.stored(step), canonical, instanceID, SQLiteInteger.stored(step)])
    }
}
