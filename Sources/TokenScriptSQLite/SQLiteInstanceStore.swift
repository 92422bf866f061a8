import GRDB
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptRuntime

/// The instance heads in SQLite: compare-and-set on the step, fenced in the write's transaction.
///
/// An instance is stored as its canonical JSON (`TokenInstance.canonicalJSON`, the form its state hash is
/// taken over) beside its definition id and step; `replace` reads the row, applies the same rules as the
/// in-memory store and writes, all in one `IMMEDIATE` transaction, so of two writers from one step exactly
/// one wins and a stale executor writes nothing.
public final class SQLiteInstanceStore: InstanceStore {
    public let store: SQLiteStore

    public init(store: SQLiteStore) {
        self.store = store
    }

    public func create(_ instance: TokenInstance, fencedBy lease: ExecutorLease?) async throws {
        try InstanceReplacement.validate(instance, lease: lease)
        let clock = store.clock
        try await store.write("create instance \(instance.id)") { db in
            try SQLiteLeaseAuthority.checkFence(lease, in: db, now: clock.unixSeconds())
            let exists =
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM token_instance WHERE id = ?", arguments: [instance.id]) ?? false
            if exists { throw InstanceStoreError.exists(instance: instance.id) }
            try db.execute(
                sql: "INSERT INTO token_instance (id, definition_id, step, canonical) VALUES (?, ?, ?, ?)",
                arguments: [
                    instance.id, instance.definitionID, SQLiteInteger.stored(instance.step), instance.canonicalJSON,
                ])
        }
    }

    public func instance(_ id: String) async throws -> TokenInstance? {
        let path = store.path
        return try await store.read("read instance \(id)") { db in try Self.stored(id, in: db, path: path) }
    }

    public func replace(_ instance: TokenInstance, expectingStep expectedStep: UInt64, fencedBy lease: ExecutorLease?)
        async throws
    {
        try InstanceReplacement.validate(instance, lease: lease)
        let clock = store.clock
        let path = store.path
        try await store.write("replace instance \(instance.id)") { db in
            try SQLiteLeaseAuthority.checkFence(lease, in: db, now: clock.unixSeconds())
            guard let current = try Self.stored(instance.id, in: db, path: path) else {
                throw InstanceStoreError.notFound(instance: instance.id)
            }
            try InstanceReplacement.check(current: current, expectedStep: expectedStep, replacement: instance)
            try db.cachedStatement(sql: "UPDATE token_instance SET step = ?, canonical = ? WHERE id = ? AND step = ?")
                .execute(
                    arguments: [
                        SQLiteInteger.stored(instance.step), instance.canonicalJSON, instance.id,
                        SQLiteInteger.stored(expectedStep),
                    ])
        }
    }

    public func instances(of definitionID: String) async throws -> [String] {
        try await store.read("list the instances of \(definitionID)") { db in
            // Ordered by SQLite (BINARY: bytes); Swift's `sorted()` would compare canonically equal ids as equal.
            try String.fetchAll(
                db, sql: "SELECT id FROM token_instance WHERE definition_id = ? ORDER BY id", arguments: [definitionID])
        }
    }

    private static func stored(_ id: String, in db: Database, path: String) throws -> TokenInstance? {
        guard
            let row = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT definition_id, canonical FROM token_instance WHERE id = ?"),
                arguments: [id])
        else { return nil }
        let canonical: String = row["canonical"]
        let definitionID: String = row["definition_id"]
        let corrupt = { (reason: String) in
            SQLiteStoreError.corruptRow(path: path, table: "token_instance", key: id, reason: reason)
        }
        let value: SandboxValue
        do { value = try SandboxValue.parseJSON(canonical) } catch { throw corrupt("\(error)") }
        guard let instance = TokenInstance(canonicalValue: value, definitionID: definitionID), instance.id == id else {
            throw corrupt("not a token instance's canonical form")
        }
        return instance
    }
}
