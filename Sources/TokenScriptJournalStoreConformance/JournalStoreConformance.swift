import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptRuntime

/// A store to check: how to make one, and what its medium allows beyond the protocol.
public struct JournalStoreSubject: Sendable, CustomStringConvertible {
    public var description: String
    /// A new store holding only `header`.
    public var make: @Sendable (JournalHeader) async throws -> any JournalStore
    /// The same journal opened again, as a restarted node opens it (an in-memory store returns itself).
    public var reopen: @Sendable (any JournalStore) async throws -> any JournalStore
    /// Appends `partialLine` without a line end, as a crash mid-write leaves it; nil when the medium cannot
    /// tear a line (memory).
    public var tear: (@Sendable (any JournalStore, _ partialLine: [UInt8]) async throws -> Void)?

    public init(
        _ description: String, make: @escaping @Sendable (JournalHeader) async throws -> any JournalStore,
        reopen: @escaping @Sendable (any JournalStore) async throws -> any JournalStore,
        tear: (@Sendable (any JournalStore, [UInt8]) async throws -> Void)? = nil
    ) {
        self.description = description
        self.make = make
        self.reopen = reopen
        self.tear = tear
    }
}

/// A broken promise of the journal-store contract.
public struct JournalStoreConformanceFailure: Error, CustomStringConvertible {
    public var description: String
}

/// The `JournalStore` contract as checks that throw on the first broken promise, so every store (memory,
/// file, a network store) runs the same suite from any test framework.
public enum JournalStoreConformance {
    /// Appends in sequence; the head, and a read from 1, give back exactly the sealed lines.
    public static func appendsInSequence(_ subject: JournalStoreSubject) async throws {
        let (store, sealed) = try await filled(subject, count: 3)
        try expect(
            try await store.head() == JournalHead(nextSequence: 4, lastHash: sealed[2].hash), "head after 3 appends")
        try expect(try await store.entries(from: 1) == sealed, "entries read back equal the sealed entries")
        try expect(
            Journal(header: store.header, sealedEntries: try await store.entries(from: 1)).bytes
                == Journal(header: store.header, sealedEntries: sealed).bytes, "lines read back are byte-identical")
    }

    /// An append at the wrong sequence or after the wrong line is refused, naming both numbers, and writes nothing.
    public static func refusesWrongSequence(_ subject: JournalStoreSubject) async throws {
        let (store, sealed) = try await filled(subject, count: 1)
        let ahead = seal(sequence: 3, prev: sealed[0].hash)
        try await expectRefusal(store, ahead, .sequenceMismatch(appended: 3, next: 2))
        try await expectRefusal(store, sealed[0], .sequenceMismatch(appended: 1, next: 2))
        let forked = seal(sequence: 2, prev: store.header.hash)
        try await expectRefusal(
            store, forked, .chainMismatch(sequence: 2, prev: store.header.hash, last: sealed[0].hash))
        try expect(try await store.entries(from: 1) == sealed, "a refused append writes nothing")
        try await store.append(seal(sequence: 2, prev: sealed[0].hash))
        try expect(try await store.head().nextSequence == 3, "the right append still succeeds after refusals")
    }

    /// Reading from a position gives that entry and every later one; past the end, nothing.
    public static func readsFromPosition(_ subject: JournalStoreSubject) async throws {
        let (store, sealed) = try await filled(subject, count: 5)
        try expect(try await store.entries(from: 3) == Array(sealed[2...]), "entries from 3")
        try expect(try await store.entries(from: 6).isEmpty, "entries past the end")
    }

    /// A stream after a position gives the stored entries after it, then those appended later.
    public static func streamsLaterEntries(_ subject: JournalStoreSubject) async throws {
        let (store, sealed) = try await filled(subject, count: 2)
        var iterator = store.updates(after: 1).makeAsyncIterator()
        let first = try await iterator.next()
        try expect(first == sealed[1], "the stream starts with the stored entry after the position")
        var last = sealed[1]
        for sequence in UInt64(3)...4 {
            last = seal(sequence: sequence, prev: last.hash)
            try await store.append(last)
            let next = try await iterator.next()
            try expect(next == last, "the stream gives entry \(sequence) once it is appended")
        }
    }

    /// A reopened store continues the same journal: same head, same entries, and appends go on from there.
    public static func reopensAndContinues(_ subject: JournalStoreSubject) async throws {
        let (store, sealed) = try await filled(subject, count: 2)
        let reopened = try await subject.reopen(store)
        try expect(reopened.header == store.header, "the reopened header")
        try expect(
            try await reopened.head() == JournalHead(nextSequence: 3, lastHash: sealed[1].hash), "the reopened head")
        let third = seal(sequence: 3, prev: sealed[1].hash)
        try await reopened.append(third)
        try expect(try await reopened.entries(from: 1) == sealed + [third], "the journal continued after reopening")
    }

    /// A torn last line (a crash mid-write) is dropped on reopening, and the chain continues from the last
    /// complete line; what was appended before the crash is all there.
    public static func recoversFromTornLastLine(_ subject: JournalStoreSubject) async throws {
        guard let tear = subject.tear else {
            throw JournalStoreConformanceFailure(description: "\(subject) cannot tear a line")
        }
        let (store, sealed) = try await filled(subject, count: 2)
        let lost = seal(sequence: 3, prev: sealed[1].hash)
        try await tear(store, Array(lost.line.prefix(lost.line.count / 2)))
        let reopened = try await subject.reopen(store)
        try expect(
            try await reopened.head() == JournalHead(nextSequence: 3, lastHash: sealed[1].hash),
            "head after the torn line")
        try await reopened.append(lost)
        try expect(try await reopened.entries(from: 1) == sealed + [lost], "the chain continues after the torn line")
    }

    // MARK: - Entries

    /// The header every check's journal starts with.
    public static let header = JournalHeader(
        definitionID: "conformance@0000000000000000", instanceID: "conformance-1",
        initialStateHash: TokenInstance(definitionID: "", id: "conformance-1", state: "start").stateHash,
        signer: try? JournalSigner(seed: Array(repeating: 0x5a, count: 32)))
    private static let journalKey = try? JournalSigner(seed: Array(repeating: 0x5a, count: 32))
    private static let issuer = try? Ed25519AttestationSigner(seed: Array(repeating: 0x5b, count: 32))

    /// Entry `sequence`, sealed after `prev` with the conformance journal key.
    public static func seal(sequence: UInt64, prev: String) -> SealedJournalEntry {
        let unsigned = Attestation(
            id: "tick-\(sequence)", topic: "meter/main", type: "tick",
            issuer: issuer?.issuer ?? .ed25519(publicKey: []), issuedAt: 1_790_000_000 + sequence,
            payload: ["amount": .integer(Int64(sequence))])
        let attestation = (try? issuer?.sign(unsigned)) ?? unsigned
        let instance = TokenInstance(
            definitionID: "", id: "conformance-1", state: "start", attributes: ["count": .int(Int64(sequence))],
            topicPositions: ["meter/main": attestation.issuedAt], step: sequence)
        let entry = JournalEntry(
            sequence: sequence, receivedAt: 1_790_001_000, attestation: attestation, outcome: .unmatched, events: [],
            effects: [], stateHash: instance.stateHash, instance: instance.canonicalValue)
        return SealedJournalEntry(sealing: entry, prev: prev, signer: journalKey)
    }

    /// A new store with entries 1…`count` appended.
    static func filled(_ subject: JournalStoreSubject, count: Int) async throws -> (
        any JournalStore, [SealedJournalEntry]
    ) {
        let store = try await subject.make(header)
        var sealed: [SealedJournalEntry] = []
        var prev = header.hash
        for sequence in 0..<UInt64(count) {
            let entry = seal(sequence: sequence + 1, prev: prev)
            try await store.append(entry)
            sealed.append(entry)
            prev = entry.hash
        }
        return (store, sealed)
    }

    static func expect(_ condition: Bool, _ what: String) throws {
        if !condition { throw JournalStoreConformanceFailure(description: "not as promised: \(what)") }
    }

    static func expectRefusal(
        _ store: any JournalStore, _ entry: SealedJournalEntry, _ reason: JournalStoreError.Reason
    ) async throws {
        do {
            try await store.append(entry)
        } catch {
            try expect(error.reason == reason, "refused with \(reason), got \(error.reason)")
            return
        }
        throw JournalStoreConformanceFailure(
            description: "appending \(entry.entry.sequence) was accepted; expected \(reason)")
    }
}
