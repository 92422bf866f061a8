import TokenScriptCluster
import TokenScriptEngine
import TokenScriptPostgres

/// A node's store in a schema of a PostgreSQL database (`tokenscript node --store postgres://…?schema=NAME`):
/// its journals, heads and resting instances survive the loss of the node's machine. Each node needs a schema of
/// its own (every host of an instance keeps its own journal of it); the anchors' shared schema is another one.
public struct PostgresNodeStore: NodeStore {
    public let store: PostgresStore

    public init(_ store: PostgresStore) {
        self.store = store
    }

    public var location: String { "\(store.location)" }
    public var instances: any InstanceStore { PostgresInstanceStore(store: store) }
    public var lifecycle: any InstanceLifecycleStore { PostgresInstanceLifecycle(store: store) }

    public func createJournal(_ header: JournalHeader) async throws -> any JournalStore {
        try await PostgresJournalStore.create(header, in: store, keepsInstanceHead: true)
    }

    public func openJournal(_ instanceID: String) async throws -> any JournalStore {
        try await PostgresJournalStore.open(instanceID, in: store, keepsInstanceHead: true)
    }

    public func localLog() -> any AttestationLog { PostgresAttestationLog(store: store) }

    public func localElection() -> any ExecutorElection { PostgresLeaseAuthority(store: store) }

    public var groupCommits: (batches: Int, writes: Int)? { nil }

    public func durabilityDescription() -> String { "PostgreSQL commit" }
}
