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

    @Test("a wake-up hands the appended entries along; a timeout, a gap or too many send the reader to the file")
    func handedEntries() async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let log = SQLiteAttestationLog(store: store)
        let listener = log.listen(to: "t")
        _ = try await log.append(AttestationLogConformance.attestation("a-1", topic: "t"), fencedBy: nil)
        _ = try await log.append(
            contentsOf: (2...3).map { AttestationLogConformance.attestation("a-\($0)", topic: "t") }, fencedBy: nil)
        await listener.wait(timeout: Self.hour)
        // Read up to position 1 already: 2 and 3 follow on, in order.
        #expect(listener.handedEntries(continuing: 2)?.map(\.attestation.id) == ["a-2", "a-3"])
        // Taken: nothing since.
        #expect(listener.handedEntries(continuing: 4)?.isEmpty == true)

        _ = try await log.append(AttestationLogConformance.attestation("a-4", topic: "t"), fencedBy: nil)
        await listener.wait(timeout: Self.hour)
        // The reader is at 3 (it missed a-3): the handed a-4 does not follow on, so it must read the file.
        #expect(listener.handedEntries(continuing: 3) == nil)

        // A wake-up without entries (the fallback timeout) makes the next take incomplete too.
        await listener.wait(timeout: .milliseconds(10))
        #expect(listener.handedEntries(continuing: 5) == nil)

        // More than a listener keeps: incomplete.
        let many = (5...(5 + LogListener.keptEntries)).map {
            AttestationLogConformance.attestation("a-\($0)", topic: "t")
        }
        _ = try await log.append(contentsOf: many, fencedBy: nil)
        await listener.wait(timeout: Self.hour)
        #expect(listener.handedEntries(continuing: 5) == nil)
        #expect(try await log.head(of: "t") == UInt64(5 + LogListener.keptEntries))
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
