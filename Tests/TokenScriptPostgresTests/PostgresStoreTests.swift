import Testing
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEngine
@testable import TokenScriptPostgres
import TokenScriptTesting

/// Opening a PostgreSQL store: the URL read strictly, a database that does not answer, migrations applied once when
/// several stores open at once, a schema from a newer build, text PostgreSQL cannot hold.
@Suite("PostgreSQL store: opening, migrations and refusals")
struct PostgresStoreTests {
    @Test("a store URL is read strictly; each mistake names its part, and the password never shows")
    func urls() throws {
        let location = try PostgresLocation(url: "postgres://anchor:s%40cret@db.internal:6432/tokens?schema=net_1")
        #expect(location.user == "anchor")
        #expect(location.password == "s@cret")
        #expect(location.host == "db.internal")
        #expect(location.port == 6432)
        #expect(location.database == "tokens")
        #expect(location.schema == "net_1")
        #expect("\(location)" == "postgres://anchor:***@db.internal:6432/tokens?schema=net_1")
        // The full URL (a child process's --store) reads back as the same location, odd characters included.
        var odd = location
        odd.password = "p@ss:w/rd %é"
        odd.user = "node one"
        odd.schema = "net_1_node_2"
        odd.connections = 4
        #expect(try PostgresLocation(url: odd.url) == odd)
        #expect(try PostgresLocation(url: location.url) == location)
        let ipv6 = try PostgresLocation(url: "postgresql://u@[::1]/d")
        #expect(ipv6.host == "::1" && ipv6.port == 5432 && ipv6.schema == "public")
        let refusals: [(String, String)] = [
            ("mysql://u@h/d", "scheme"), ("postgres://h/d", "user"), ("postgres://u@h:99999/d", "port"),
            ("postgres://u@h:5432", "database"), ("postgres://u@h/d?schema=Robert'); DROP", "schema"),
            ("postgres://u@h/d?sslmode=require", "sslmode"), ("postgres://u@h/d?connections=0", "connections"),
            ("postgres://u%zz@h/d", "user"), ("postgres://u@/d", "host"),
        ]
        for (url, part) in refusals {
            #expect(throws: PostgresStoreError.self, "\(url)") { try PostgresLocation(url: url) }
            do { _ = try PostgresLocation(url: url) } catch {
                guard case .invalidURL(let found, _) = error else {
                    Issue.record("\(url): \(error)")
                    continue
                }
                #expect(found == part, "\(url)")
            }
        }
    }

    @Test("a database that does not answer is an error naming it, after the connect deadline, not a hang")
    func unreachable() async throws {
        let port = ScriptedHTTPServer.unusedPort()
        let started = ContinuousClock.now
        let refusal = await Self.refusal(opening: "postgres://nobody:secret@127.0.0.1:\(port)/none")
        guard case .unavailable(let location, let operation, _) = refusal else {
            Issue.record("expected unavailable, got \(String(describing: refusal))")
            return
        }
        #expect(location == "postgres://nobody:***@127.0.0.1:\(port)/none")
        #expect(operation == "connect")
        #expect(!"\(refusal!)".contains("secret"))
        #expect(ContinuousClock.now - started < .seconds(60), "hung long past its 2 s deadline")
    }

    /// The error opening a store at `url` throws (connecting for 2 s at most); nil when it opens.
    static func refusal(opening url: String) async -> PostgresStoreError? {
        do {
            let store = try await PostgresStore(
                url: url, clock: ManualClock(unixSeconds: 0), connectTimeout: .seconds(2))
            store.close()
            return nil
        } catch {
            return error
        }
    }

    @Test("stores opening at once on one schema apply each migration exactly once")
    func concurrentMigrations() async throws {
        let url = try await ThrowawayPostgres.freshStoreURL(connections: 2)
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<6 {
                group.addTask { try await PostgresStore(url: url, clock: ManualClock(unixSeconds: 0)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { for store in stores { store.close() } }
        for store in stores {
            #expect(try await store.appliedMigrations() == Array(1...PostgresSchema.migrations.count))
        }
    }

    @Test("a schema migrated by a newer build is refused, naming its migrations")
    func newerSchema() async throws {
        let url = try await ThrowawayPostgres.freshStoreURL(connections: 2)
        let store = try await PostgresStore(url: url, clock: ManualClock(unixSeconds: 0))
        try await store.run("add a migration") { client in
            try await client.query("INSERT INTO schema_migration (version, name) VALUES (99, 'from the future')")
        }
        store.close()
        let location = "\(try PostgresLocation(url: url))"
        await #expect(
            throws: PostgresStoreError.newerSchema(
                location: location, applied: Array(1...PostgresSchema.migrations.count) + [99])
        ) {
            _ = try await PostgresStore(url: url, clock: ManualClock(unixSeconds: 0))
        }
    }

    @Test("text PostgreSQL cannot hold (NUL) is refused naming the field, and nothing is written")
    func nulText() async throws {
        let store = try await PostgresTestStores.fresh()
        defer { store.close() }
        let log = PostgresAttestationLog(store: store)
        await #expect(throws: PostgresStoreError.unstorableText(field: "topic")) {
            _ = try await log.append(AttestationLogConformance.attestation("a-1", topic: "flight/\u{0}"), fencedBy: nil)
        }
        await #expect(throws: PostgresStoreError.unstorableText(field: "instance")) {
            _ = try await PostgresLeaseAuthority(store: store).acquire("x\u{0}", for: "node-1", seenEpoch: 0)
        }
        #expect(try await log.topics(from: 1, limit: 10).isEmpty)
    }
}
