import GRDB
import TokenScriptCluster

extension SQLiteInstanceStore {
    /// Every instance in the store, by id: what a node's `GET /v1/instances` lists (read from the heads alone,
    /// without decoding each instance's canonical form).
    public func summaries() async throws -> [StoredInstanceSummary] {
        try await store.read("list the instances") { db in
            try Row.fetchAll(db, sql: "SELECT id, definition_id, step FROM token_instance ORDER BY id").map { row in
                let step: Int64 = row["step"]
                return StoredInstanceSummary(
                    id: row["id"], definitionID: row["definition_id"], step: SQLiteInteger.loaded(step))
            }
        }
    }
}
