import Foundation
import Testing
import TokenScriptChildProcess
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEngine
import TokenScriptJournalStoreConformance
import TokenScriptSQLite

#if canImport(Glibc)
    import Glibc
#endif

/// What survives: a store closed and reopened, and a writer process killed with SIGKILL mid-work.
@Suite("SQLite recovery after close and kill -9")
struct SQLiteRecoveryTests {
    @Test("closed and reopened, the store has every lease, entry, instance, pin and journal line")
    func reopenAfterClose() async throws {
        let directory = try DatabaseDirectory()
        let path = directory.newDatabase()
        let clock = ManualClock(unixSeconds: testEpochSeconds)
        let first: SealedJournalEntry
        do {
            let store = try SQLiteStore(path: path, clock: clock)
            let lease = try await SQLiteLeaseAuthority(store: store).acquire("conformance-1", for: "a", seenEpoch: 0)
            for index in 1...3 {
                let attestation = AttestationLogConformance.attestation("r-\(index)", topic: "t")
                _ = try await SQLiteAttestationLog(store: store).append(attestation, fencedBy: lease.lease)
            }
            let head = TokenInstance(definitionID: "d@0", id: "conformance-1", state: "s", step: 4)
            try await SQLiteInstanceStore(store: store).create(head, fencedBy: lease.lease)
            let placement = SQLitePlacement(store: store)
            for node in ["node-1", "node-2", "node-3"] { try await placement.register(ServiceNode(id: node)) }
            try await placement.pin("conformance-1", to: ["node-3", "node-1"])
            let journal = try SQLiteJournalStore(creating: JournalStoreConformance.header, in: store)
            first = JournalStoreConformance.seal(sequence: 1, prev: JournalStoreConformance.header.hash)
            try await journal.append(first)
        }
        let store = try SQLiteStore(path: path, clock: clock)
        let record = try #require(try await SQLiteLeaseAuthority(store: store).record(of: "conformance-1"))
        #expect(record.lease.epoch == 1 && record.holder == "a")
        let log = SQLiteAttestationLog(store: store)
        #expect(try await log.head(of: "t") == 3)
        let entries = try await log.entries(topic: "t", from: 1, limit: 10)
        #expect(entries.map(\.attestation.id) == ["r-1", "r-2", "r-3"])
        #expect(entries.allSatisfy { $0.fence == record.lease })
        #expect(entries.first?.attestation == AttestationLogConformance.attestation("r-1", topic: "t"))
        #expect(try await SQLiteInstanceStore(store: store).instance("conformance-1")?.step == 4)
        let placement = SQLitePlacement(store: store)
        #expect(try await placement.pins(of: "conformance-1") == ["node-3", "node-1"])
        #expect(
            try await placement.hostingNodes(for: "conformance-1", replicas: 3).map(\.id).prefix(2) == [
                "node-3", "node-1",
            ])
        let journal = try SQLiteJournalStore(opening: "conformance-1", in: store)
        #expect(try await journal.entries(from: 1) == [first])
        _ = try await log.append(AttestationLogConformance.attestation("r-4", topic: "t"), fencedBy: nil)
        #expect(try await log.head(of: "t") == 4)
    }

    @Test("a writer killed with SIGKILL mid-loop: every step it reported is there, gap-free, and work goes on")
    func killedWriterLosesNothingCommitted() async throws {
        let writer = try #require(testWriterPath(), "tokenscript-sqlite-testwriter is not built")
        let directory = try DatabaseDirectory()
        let path = directory.newDatabase()
        let child = try ChildWriter(executable: writer, arguments: [path, "steps"])
        try child.waitForLine { $0 == "committed 30" }
        child.kill()
        // The child reported step 30 committed (it may have committed more before the signal landed).
        let reported: UInt64 = 30

        let clock = ManualClock(unixSeconds: 1_700_000_000)
        let store = try SQLiteStore(path: path, clock: clock)
        let lease = try #require(try await SQLiteLeaseAuthority(store: store).record(of: "conformance-1"))
        #expect(lease.lease.epoch == 1 && lease.holder == "child")
        let log = SQLiteAttestationLog(store: store)
        let logged = try await log.head(of: "steps")
        let entries = try await log.entries(topic: "steps", from: 1, limit: Int(logged) + 10)
        #expect(entries.map(\.attestation.id) == (1...logged).map { "step-\($0)" })
        #expect(entries.allSatisfy { $0.fence == lease.lease })
        let journal = try SQLiteJournalStore(opening: "conformance-1", in: store)
        let journaled = try await journal.head().nextSequence - 1
        let step = try #require(try await SQLiteInstanceStore(store: store).instance("conformance-1")).step
        // Each step appends to the log, then the journal, then replaces the head, in three transactions.
        #expect(reported <= step && step <= journaled && journaled <= logged && logged <= step + 1)
        #expect(try await journal.entries(from: 1).map(\.entry.sequence) == Array(1...journaled))

        let next = JournalStoreConformance.seal(
            sequence: journaled + 1, prev: try await journal.head().lastHash)
        try await journal.append(next, fencedBy: lease.lease)
        #expect(try await journal.head().nextSequence == journaled + 2)
    }

    @Test("a writer killed inside a transaction spilled into the WAL: nothing of it is there, the lock is free")
    func killedInsideTransaction() async throws {
        let writer = try #require(testWriterPath(), "tokenscript-sqlite-testwriter is not built")
        let directory = try DatabaseDirectory()
        let path = directory.newDatabase()
        let child = try ChildWriter(executable: writer, arguments: [path, "hold"])
        try child.waitForLine { $0 == "holding" }
        let walSize = try #require(try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int)
        #expect(walSize > 200 * 4_096, "the uncommitted transaction reached the WAL: \(walSize) bytes")
        child.kill()

        let store = try SQLiteStore(path: path, clock: ManualClock(unixSeconds: testEpochSeconds), busyTimeout: 2)
        let log = SQLiteAttestationLog(store: store)
        #expect(try await log.head(of: "held") == 1)
        #expect(try await log.entries(topic: "held", from: 1, limit: 500).map(\.attestation.id) == ["held-1"])
        let appended = try await log.append(
            AttestationLogConformance.attestation("held-2", topic: "held"), fencedBy: nil)
        #expect(appended.entry.position == 2)
    }
}

/// A child process whose standard output is read line by line, killed with SIGKILL.
final class ChildWriter {
    let process: ChildProcess
    private let output = Pipe()
    private var buffer: [UInt8] = []

    init(executable: String, arguments: [String]) throws {
        process = try ChildProcess(
            executable: executable, arguments: arguments,
            standardOutput: .descriptor(output.fileHandleForWriting.fileDescriptor), standardError: .inherited)
        // Only the child writes: its end of file is the reader's.
        try output.fileHandleForWriting.close()
    }

    /// Reads lines until one satisfies `match`; throws when the child ends first.
    func waitForLine(_ match: (String) -> Bool) throws {
        while true {
            while let line = nextLine() { if match(line) { return } }
            let data = output.fileHandleForReading.availableData
            if data.isEmpty {
                throw ChildWriterError(description: "the writer ended before the expected line (status \(status))")
            }
            buffer += data
        }
    }

    /// SIGKILL, then waits for the child to be gone.
    func kill() {
        process.send(SIGKILL)
        process.waitUntilExit()
    }

    private var status: String { process.exitStatus.map { "\($0)" } ?? "running" }

    private func nextLine() -> String? {
        guard let end = buffer.firstIndex(of: 0x0a) else { return nil }
        let line = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeSubrange(...end)
        return line
    }
}

struct ChildWriterError: Error, CustomStringConvertible {
    var description: String
}
