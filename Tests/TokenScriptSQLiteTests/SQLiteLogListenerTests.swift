import Testing
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEngine
import TokenScriptSQLite

/// `SQLiteAttestationLog.listen(to:)`: a reader's wake-ups come from the appends through the store handle, so
/// none is lost between a read and a wait, and a subscription needs no short poll. The fallback timeouts below
/// are an hour: only a wake-up can end the waits within the test's run.
@Suite("SQLite log listeners")
struct SQLiteLogListenerTests {
    static let hour = Duration.seconds(3600)

    @Test("an append between registering and waiting is not lost; a wait returns at the next append")
    func noLostWakeUp() async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let log = SQLiteAttestationLog(store: store)
        let listener = log.listen(to: "t")
        _ = try await log.append(AttestationLogConformance.attestation("a-1", topic: "t"), fencedBy: nil)
        await listener.wait(timeout: Self.hour)
        let waiting = Task { await listener.wait(timeout: Self.hour) }
        _ = try await log.append(AttestationLogConformance.attestation("a-2", topic: "t"), fencedBy: nil)
        await waiting.value
        #expect(try await log.head(of: "t") == 2)
    }

    @Test("a subscription with an hour's poll delivers every later append as it commits")
    func subscriptionWithoutPoll() async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let log = SQLiteAttestationLog(store: store, pollInterval: Self.hour)
        var entries = try await log.subscribe(topic: "t", from: 1).makeAsyncIterator()
        for index in 1...3 {
            _ = try await log.append(AttestationLogConformance.attestation("a-\(index)", topic: "t"), fencedBy: nil)
            let entry = try await entries.next()
            #expect(entry?.attestation.id == "a-\(index)")
        }
        #expect(log.subscriberCount(of: "t") == 1)
    }

    @Test("a cancelled wait returns at once")
    func cancelledWait() async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let listener = SQLiteAttestationLog(store: store).listen(to: "t")
        let waiting = Task { await listener.wait(timeout: Self.hour) }
        waiting.cancel()
        await waiting.value
        listener.close()
        #expect(SQLiteAttestationLog(store: store).subscriberCount(of: "t") == 0)
    }
}
