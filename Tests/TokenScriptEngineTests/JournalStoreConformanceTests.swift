import Foundation
import Testing
import TokenScriptEngine
import TokenScriptJournalFile
import TokenScriptJournalStoreConformance
import TokenScriptTesting

/// One suite, every journal store: the in-memory store and the file store keep the same promises
/// (`JournalStoreConformance`); a network store joins by adding a case here.
@Suite("journal store conformance")
struct JournalStoreConformanceTests {
    enum Store: String, CaseIterable, CustomTestStringConvertible {
        case memory, file
        var testDescription: String { rawValue }

        /// The subject, its files (if any) in `directory`.
        func subject(in directory: TemporaryDirectory) -> JournalStoreSubject {
            switch self {
            case .memory:
                return JournalStoreSubject(
                    "memory", make: { InMemoryJournalStore(header: $0) }, reopen: { $0 })
            case .file:
                let root = directory.path
                return JournalStoreSubject(
                    "file", make: { try FileJournalStore(creating: root + "/\(UUID().uuidString).jsonl", header: $0) },
                    reopen: { store in try FileJournalStore(opening: try Self.path(of: store)) },
                    tear: { store, partial in
                        let handle = try #require(FileHandle(forWritingAtPath: try Self.path(of: store)))
                        try handle.seekToEnd()
                        try handle.write(contentsOf: Data(partial))
                        try handle.close()
                    })
            }
        }

        static func path(of store: any JournalStore) throws -> String {
            try #require(store as? FileJournalStore).path
        }
    }

    @Test("appends in sequence and reads back the sealed lines", arguments: Store.allCases)
    func appends(_ store: Store) async throws {
        let directory = try TemporaryDirectory()
        try await JournalStoreConformance.appendsInSequence(store.subject(in: directory))
    }

    @Test(
        "refuses an append at the wrong sequence or after the wrong line, naming both, writing nothing",
        arguments: Store.allCases)
    func refuses(_ store: Store) async throws {
        let directory = try TemporaryDirectory()
        try await JournalStoreConformance.refusesWrongSequence(store.subject(in: directory))
    }

    @Test("reads from a position", arguments: Store.allCases)
    func reads(_ store: Store) async throws {
        let directory = try TemporaryDirectory()
        try await JournalStoreConformance.readsFromPosition(store.subject(in: directory))
    }

    @Test("a stream after a position sees the stored entries, then those appended later", arguments: Store.allCases)
    func streams(_ store: Store) async throws {
        let directory = try TemporaryDirectory()
        try await JournalStoreConformance.streamsLaterEntries(store.subject(in: directory))
    }

    @Test("reopened, a store continues the same journal", arguments: Store.allCases)
    func reopens(_ store: Store) async throws {
        let directory = try TemporaryDirectory()
        try await JournalStoreConformance.reopensAndContinues(store.subject(in: directory))
    }

    @Test("a torn last line is dropped on reopening and the chain continues", arguments: [Store.file])
    func tornLine(_ store: Store) async throws {
        let directory = try TemporaryDirectory()
        try await JournalStoreConformance.recoversFromTornLastLine(store.subject(in: directory))
    }
}
