import TokenScriptCluster
import TokenScriptEngine

/// A node's own store: its instances' journals and heads, the instances at rest and, for a node on its own, its
/// attestation log and election. The embedded SQLite file by default (`SQLiteNodeStore`), or a schema of a
/// PostgreSQL database (`PostgresNodeStore`, `tokenscript node --store postgres://…`); `InstanceHost` is written
/// against this protocol alone.
public protocol NodeStore: Sendable {
    /// Where the store is, for logs and errors: the file's path, or the database's URL without its password.
    var location: String { get }
    var instances: any InstanceStore { get }
    var lifecycle: any InstanceLifecycleStore { get }

    /// Creates the journal of `header.instanceID`; each append also advances the instance's head in the same
    /// transaction (the head never lags its journal).
    func createJournal(_ header: JournalHeader) async throws -> any JournalStore

    /// Opens the stored journal of `instanceID`, verifying every line; appends advance its head as above.
    func openJournal(_ instanceID: String) async throws -> any JournalStore

    /// The attestation log of a node that is not part of an anchor's network.
    func localLog() -> any AttestationLog

    /// The election of a node that is not part of an anchor's network (it elects itself).
    func localElection() -> any ExecutorElection

    /// Transactions committed and the writes they carried, for `/metrics` (nil: the store does not count them).
    var groupCommits: (batches: Int, writes: Int)? { get }

    /// How durable a write is once acknowledged, for the shutdown log.
    func durabilityDescription() -> String
}
