import Foundation
import GRDB
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptJournalStoreConformance
import TokenScriptSQLite

// Writes to a SQLite store until it is killed: the child half of TokenScriptSQLiteTests' kill -9 tests.
//
//   tokenscript-sqlite-testwriter PATH steps   acquires the lease of instance conformance-1, creates its
//       journal and head, then loops: a fenced log append (topic "steps", id "step-N"), a fenced journal
//       append (sequence N), a fenced instance replace (step N); prints "committed N" after each step.
//   tokenscript-sqlite-testwriter PATH hold    appends "held-1" to topic "held" and commits, then writes
//       200 large entries in a transaction it never commits (spilled into the WAL by a one-page cache),
//       prints "holding" and waits to be killed.
//
// The clock stands still at `TestWriter.now`, so the lease never lapses while the parent reads.

enum TestWriter {
    static let now: UInt64 = 1_700_000_000
    static let instance = JournalStoreConformance.header.instanceID

    static func attestation(_ id: String, topic: String) -> Attestation {
        Attestation(
            id: id, topic: topic, type: "status", issuer: .ed25519(publicKey: [UInt8](repeating: 7, count: 32)),
            issuedAt: now, payload: .string(id), signature: [UInt8](repeating: 1, count: 64))
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func steps(_ path: String) async throws {
        let store = try SQLiteStore(path: path, clock: FixedEngineClock(now))
        let lease = try await SQLiteLeaseAuthority(store: store, leaseSeconds: 3_600)
            .acquire(instance, for: "child", seenEpoch: 0).lease
        let log = SQLiteAttestationLog(store: store)
        let journal = try SQLiteJournalStore(creating: JournalStoreConformance.header, in: store)
        let instances = SQLiteInstanceStore(store: store)
        func head(_ step: UInt64) -> TokenInstance {
            TokenInstance(definitionID: "writer@0", id: instance, state: "running", step: step)
        }
        try await instances.create(head(0), fencedBy: lease)
        say("lease \(lease.epoch)")
        var prev = JournalStoreConformance.header.hash
        var step: UInt64 = 1
        while true {
            _ = try await log.append(attestation("step-\(step)", topic: "steps"), fencedBy: lease)
            let entry = JournalStoreConformance.seal(sequence: step, prev: prev)
            try await journal.append(entry, fencedBy: lease)
            try await instances.replace(head(step), expectingStep: step - 1, fencedBy: lease)
            say("committed \(step)")
            prev = entry.hash
            step += 1
        }
    }

    static func hold(_ path: String) async throws {
        let store = try SQLiteStore(path: path, clock: FixedEngineClock(now))
        _ = try await SQLiteAttestationLog(store: store).append(attestation("held-1", topic: "held"), fencedBy: nil)
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let filler = String(repeating: "x", count: 8_192)
        try await queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = 1")
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "UPDATE topic_head SET last_position = 201 WHERE topic = 'held'")
            for position in 2...201 {
                try db.execute(
                    sql: "INSERT INTO log_entry (topic, position, attestation_id, attestation) VALUES (?, ?, ?, ?)",
                    arguments: ["held", position, "uncommitted-\(position)", filler])
            }
        }
        say("holding")
        while true { try await Task.sleep(for: .seconds(60)) }
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, ["steps", "hold"].contains(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: tokenscript-sqlite-testwriter PATH steps|hold\n".utf8))
    exit(2)
}
do {
    if arguments[2] == "steps" {
        try await TestWriter.steps(arguments[1])
    } else {
        try await TestWriter.hold(arguments[1])
    }
} catch {
    FileHandle.standardError.write(Data("tokenscript-sqlite-testwriter: \(error)\n".utf8))
    exit(1)
}
