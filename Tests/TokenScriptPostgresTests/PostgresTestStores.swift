import Synchronization
import TokenScriptEngine
import TokenScriptPostgres
import TokenScriptTesting

/// Stores on the test run's throw-away PostgreSQL server, each in a schema of its own.
enum PostgresTestStores {
    /// The manual clocks' start: a fixed, realistic time.
    static let epoch: UInt64 = 1_700_000_000

    static func fresh(
        clock: any EngineClock = ManualClock(unixSeconds: epoch), operationTimeout: Duration = .seconds(20)
    ) async throws -> PostgresStore {
        try await PostgresStore(
            url: try await ThrowawayPostgres.freshStoreURL(), clock: clock, operationTimeout: operationTimeout)
    }
}

/// The stores a test opened, closed when it ends.
final class StoreCloser: Sendable {
    private let stores = Mutex<[PostgresStore]>([])
    func add(_ store: PostgresStore) { stores.withLock { $0.append(store) } }
    func closeAll() { for store in stores.withLock({ $0 }) { store.close() } }
}

/// Polls `condition` every 20 ms until it holds; fails naming `what` after `timeout` (a deadline for a hang, not a
/// measurement).
func waitUntil(
    timeout: Duration, _ what: String, _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct WaitTimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
