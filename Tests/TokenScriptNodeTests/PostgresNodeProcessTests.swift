import Foundation
import Testing
import TokenScriptTesting

/// `tokenscript node --store postgres://…` as a process: the node's journals, heads, log, election and resting
/// instances in a schema of a PostgreSQL database. Each test restarts the node over a new, empty data directory, so
/// what it recovers came from the database. (Runs in `scripts/test`'s PostgreSQL phase.)
@Suite("tokenscript node --store postgres://, killed and restarted")
struct PostgresNodeProcessTests {
    @Test("kill -9 mid effect: the node restarted elsewhere recovers the instance, its journal, the log and the call")
    func recoversAfterKill() async throws {
        try await NodeRecoveryProcessTests.recoversAfterKill(store: try await ThrowawayPostgres.freshStoreURL())
    }

    @Test("a ticket put to rest in PostgreSQL stays at rest across kill -9 and comes back on a read, as it was")
    func dormantAcrossRestart() async throws {
        try await NodeRecoveryProcessTests.dormantAcrossRestart(store: try await ThrowawayPostgres.freshStoreURL())
    }

    @Test("a bad --store is refused naming the flag, exit 2, before anything starts")
    func badStore() async throws {
        let directory = try TemporaryDirectory()
        let outcome = try await Subprocess.run(
            TestPaths.executable("tokenscript"),
            ["node", "--data", directory.path + "/data", "--store", "postgres://node@127.0.0.1:99999/tokens"])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("store"), "\(outcome.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/data/node.sqlite"))
    }
}
