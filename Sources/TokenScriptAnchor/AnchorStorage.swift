import TokenScriptCluster
import TokenScriptEngine
import TokenScriptPostgres
import TokenScriptSQLite

/// Where an anchoring node keeps the network's shared state — the lease table, the attestation log, placement and
/// service levels: the embedded SQLite file `DIR/anchor.sqlite` (one anchor), or a PostgreSQL database that several
/// anchors on several machines share (`--store postgres://…`). The anchor's code is the same over both: it sees the
/// cluster protocols, plus the few reads its status page and streams need (`AnchorLogStore`, …).
public struct AnchorStorage: Sendable {
    public let election: any AnchorLeaseStore
    public let log: any AnchorLogStore
    public let placement: any AnchorPlacementStore
    public let monitor: any SLOMonitor
    /// What it is and where, for logs and the status page: a file's path, or a database URL without its password.
    public let location: String
    /// Whether other anchors may share it (a database): membership is then followed from the log, not only loaded.
    public let isShared: Bool
    private let closer: @Sendable () -> Void

    /// The embedded store: `directory/anchor.sqlite`, created when missing.
    public static func embedded(directory: String, clock: any EngineClock, leaseTerm: UInt64) throws -> AnchorStorage {
        let store = try SQLiteStore(path: directory + "/anchor.sqlite", clock: clock)
        return AnchorStorage(
            election: SQLiteLeaseAuthority(store: store, leaseSeconds: leaseTerm),
            log: SQLiteAttestationLog(store: store),
            placement: SQLitePlacement(store: store), monitor: SQLiteSLOMonitor(store: store),
            location: "sqlite:" + store.path, isShared: false, closer: {})
    }

    /// A PostgreSQL database at `url` (`PostgresLocation`), waiting for it up to `connectTimeout` and migrating it.
    public static func postgres(
        url: String, clock: any EngineClock, leaseTerm: UInt64, connectTimeout: Duration = .seconds(30)
    ) async throws -> AnchorStorage {
        let store = try await PostgresStore(url: url, clock: clock, connectTimeout: connectTimeout)
        return AnchorStorage(
            election: PostgresLeaseAuthority(store: store, leaseSeconds: leaseTerm),
            log: PostgresAttestationLog(store: store), placement: PostgresPlacement(store: store),
            monitor: PostgresSLOMonitor(store: store), location: "\(store.location)", isShared: true,
            closer: { store.close() })
    }

    /// Releases the store's connections (a database's pool); the embedded file closes with its last handle.
    public func close() { closer() }
}

/// The anchor's lease table: the election, and its most recent rows for the status page.
public protocol AnchorLeaseStore: ExecutorElection {
    func records(limit: Int) async throws -> [LeaseRecord]
}

/// The anchor's log: the attestation log, its newest topics for the status page, and wake-ups for its streams.
public protocol AnchorLogStore: AttestationLog {
    func latestTopics(limit: Int) async throws -> [LogTopic]
    func listen(to topic: String) -> LogListener
    func subscriberCount(of topic: String) -> Int
}

/// The anchor's placement: membership, and the pins an operator set.
public protocol AnchorPlacementStore: InstancePlacement {
    func pins(of instance: String) async throws -> [String]
}

extension SQLiteLeaseAuthority: AnchorLeaseStore {}
extension SQLiteAttestationLog: AnchorLogStore {}
extension SQLitePlacement: AnchorPlacementStore {}
extension PostgresLeaseAuthority: AnchorLeaseStore {}
extension PostgresAttestationLog: AnchorLogStore {}
extension PostgresPlacement: AnchorPlacementStore {}
