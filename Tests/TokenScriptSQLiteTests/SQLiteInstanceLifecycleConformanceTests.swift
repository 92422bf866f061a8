import Testing
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEngine
import TokenScriptSQLite

/// The shared lifecycle suite, unchanged, against `SQLiteInstanceLifecycle`, each check in a new database file.
@Suite("SQLite instance lifecycle conformance")
struct SQLiteInstanceLifecycleConformanceTests {
    @Test("SQLiteInstanceLifecycle conforms to InstanceLifecycleStore", arguments: InstanceLifecycleConformance.checks)
    func lifecycle(_ check: ConformanceCheck<InstanceLifecycleSubject>) async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        try await check.run(
            InstanceLifecycleSubject(
                lifecycle: SQLiteInstanceLifecycle(store: store), instances: SQLiteInstanceStore(store: store),
                createJournal: { try SQLiteJournalStore(creating: $0, in: store) },
                openJournal: { try SQLiteJournalStore(opening: $0, in: store) }))
    }
}
