import Testing
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEngine
import TokenScriptSQLite

/// `SQLiteAttestationLog.append(contentsOf:fencedBy:)`: many appends, one transaction, all or nothing.
@Suite("SQLite batch appends")
struct SQLiteBatchAppendTests {
    static func attestation(_ id: String, topic: String = "t") -> Attestation {
        AttestationLogConformance.attestation(id, topic: topic)
    }

    @Test("a batch takes consecutive positions per topic; a repeated id is already logged")
    func positionsAndRepeats() async throws {
        let directory = try DatabaseDirectory()
        let store = try SQLiteStore(path: directory.newDatabase(), clock: ManualClock(unixSeconds: testEpochSeconds))
        let log = SQLiteAttestationLog(store: store)
        _ = try await log.append(Self.attestation("a-0"), fencedBy: nil)
        let batch = [
            Self.attestation("a-1"), Self.attestation("b-1", topic: "u"), Self.attestation("a-2"),
            Self.attestation("a-0"), Self.attestation("a-1"),
        ]
        let appended = try await log.append(contentsOf: batch, fencedBy: nil)
        #expect(appended.map(\.entry.position) == [2, 1, 3, 1, 2])
        #expect(appended.map(\.entry.attestation.id) == ["a-1", "b-1", "a-2", "a-0", "a-1"])
        #expect(appended[3] == .alreadyLogged(appended[3].entry) && appended[4] == .alreadyLogged(appended[0].entry))
        #expect(try await log.head(of: "t") == 3)
        #expect(try await log.head(of: "u") == 1)
    }

    @Test("one refused attestation, or a stale lease, and nothing of the batch is written")
    func allOrNothing() async throws {
        let directory = try DatabaseDirectory()
        let clock = ManualClock(unixSeconds: testEpochSeconds)
        let store = try SQLiteStore(path: directory.newDatabase(), clock: clock)
        let log = SQLiteAttestationLog(store: store)
        _ = try await log.append(Self.attestation("a-1"), fencedBy: nil)
        var conflicting = Self.attestation("a-1")
        conflicting.type = "other"
        await #expect(throws: AttestationLogError.self) {
            try await log.append(contentsOf: [Self.attestation("a-2"), conflicting], fencedBy: nil)
        }
        var malformed = Self.attestation("a-3")
        malformed.signature = []
        await #expect(throws: AttestationLogError.malformed(field: "signature")) {
            try await log.append(contentsOf: [Self.attestation("a-2"), malformed], fencedBy: nil)
        }
        let election = SQLiteLeaseAuthority(store: store)
        let old = try await election.acquire("ticket-1", for: "node-a", seenEpoch: 0)
        _ = try await election.takeOver("ticket-1", for: "anchor-1", seenEpoch: 1)
        await #expect(throws: StaleLeaseError.self) {
            try await log.append(contentsOf: [Self.attestation("a-2"), Self.attestation("a-3")], fencedBy: old.lease)
        }
        #expect(try await log.head(of: "t") == 1)
        #expect(try await log.entries(topic: "t", from: 1, limit: 10).map(\.attestation.id) == ["a-1"])
    }
}
