import TokenScriptAttestation
import TokenScriptJSON
import TokenScriptRuntime

/// An instance's journal: a header line, then one line per step (JSON Lines, canonical JSON), sealed into a
/// hash chain and, when the node has a journal key, signed line by line.
///
/// Each line carries `hash` (SHA-256 of its canonical content) and `prev` (the previous line's hash; the
/// header line is the genesis, committing to the format, definition id, instance id, initial state hash and
/// signer key), so changing, inserting, removing or reordering any line breaks the chain at that line.
/// With a signer every line is signed, so a journal cut short by a crash still verifies up to its last
/// complete line. See `JournalChain` and the module README for the exact format.
///
/// It is also the instance's `AttestationHistory`: an attestation consumed by some step is what the
/// verifier's duplicate and replay checks look up, so the history can never disagree with the journal.
public struct Journal: Sendable, Hashable, AttestationHistory {
    /// The format tag of the header line; a new incompatible format gets a new tag.
    public static let format = "swift-tokenscript-journal/2"

    /// The first line: ids, initial state hash, signer key.
    public let header: JournalHeader
    /// Every entry sealed, in sequence order.
    public private(set) var sealedEntries: [SealedJournalEntry] = []
    private var history = JournalHistory()

    public var definitionID: String { header.definitionID }
    public var instanceID: String { header.instanceID }
    /// `stateHash` of the instance before the first step.
    public var initialStateHash: String { header.initialStateHash }
    /// The Ed25519 public key that signs every line, or nil for an unsigned journal.
    public var signerKey: [UInt8]? { header.signerKey }
    /// `signerKey` in lower-case hex, as the header writes it.
    public var signerKeyHex: String? { header.signerKeyHex }
    public var entries: [JournalEntry] { sealedEntries.map(\.entry) }
    /// The sealed lines: the header first, then one per entry.
    public var lines: [[UInt8]] { [header.line] + sealedEntries.map(\.line) }
    /// The hash of the last line: it commits to the whole journal so far.
    public var headHash: String { sealedEntries.last?.hash ?? header.hash }

    /// A journal for a new instance; with a `signer`, every line is signed with its key.
    public init(definitionID: String, instanceID: String, initialStateHash: String, signer: JournalSigner? = nil) {
        self.header = JournalHeader(
            definitionID: definitionID, instanceID: instanceID, initialStateHash: initialStateHash, signer: signer)
    }

    /// The journal of `header` and `entries`, already sealed in order (read back from a store).
    public init(header: JournalHeader, sealedEntries: [SealedJournalEntry]) {
        self.header = header
        self.sealedEntries = sealedEntries
        self.history = JournalHistory(sealedEntries.map(\.entry))
    }

    /// An empty journal for a new instance.
    public init(for instance: TokenInstance, signer: JournalSigner? = nil) {
        self.init(
            definitionID: instance.definitionID, instanceID: instance.id, initialStateHash: instance.stateHash,
            signer: signer)
    }

    public func contentDigest(forID id: String) -> [UInt8]? { history.contentDigest(forID: id) }

    /// The sequence number the next entry gets.
    public var nextSequence: UInt64 { UInt64(sealedEntries.count) + 1 }

    /// Adds a step, sealed to the chain and signed by `signer`, which must be the journal's own (or nil
    /// for an unsigned journal); entries must come in sequence (1, 2, …).
    public mutating func append(_ entry: JournalEntry, signer: JournalSigner? = nil) {
        precondition(entry.sequence == nextSequence, "journal entries must be appended in sequence")
        precondition(signer?.publicKey == signerKey, "a journal is signed by its own signer on every line")
        record(SealedJournalEntry(sealing: entry, prev: headHash, signer: signer))
    }

    private mutating func record(_ sealed: SealedJournalEntry) {
        history.record(sealed.entry)
        sealedEntries.append(sealed)
    }

    /// The whole journal as JSON Lines, each line ending in `\n`: the bytes to write to a file.
    public var bytes: [UInt8] { lines.flatMap { $0 + [0x0a] } }

    /// The whole journal as JSON Lines text.
    public var jsonLines: String { String(decoding: bytes, as: UTF8.self) }

    /// Reads and verifies a journal file's bytes: every line canonical JSON, sealed into the chain, and signed
    /// by the header's signer if it names one. Whether that signer is *trusted* is the caller's question
    /// (`verifySigner(_:)`). The first problem is a `JournalReadError` naming the line, the step and the field.
    public init(bytes: [UInt8]) throws(JournalReadError) {
        var problem: JournalReadError?
        try self.init(bytes: bytes, firstProblem: &problem)
        if let problem { throw problem }
    }

    /// Reads as far as the entries verify: the journal of every entry before the first problem, and that
    /// problem (nil when there is none). This is how a node resumes after a crash mid-write: the torn last
    /// line is reported, every complete line before it is verified and signed, and appending continues the
    /// chain from the last of them. A header that does not verify is thrown: there is no prefix to keep.
    public static func verifiedPrefix(of bytes: [UInt8]) throws(JournalReadError) -> (
        journal: Journal, problem: JournalReadError?
    ) {
        var problem: JournalReadError?
        let journal = try Journal(bytes: bytes, firstProblem: &problem)
        return (journal, problem)
    }

    private init(bytes: [UInt8], firstProblem: inout JournalReadError?) throws(JournalReadError) {
        var lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: false).map(Array.init)
        let complete = lines.last == []
        if complete { lines.removeLast() }
        guard let first = lines.first, !(lines.count == 1 && first.isEmpty) else {
            throw JournalReadError(line: 1, field: "", reason: "empty journal", kind: .unreadable)
        }
        let headerJSON: [JSONKey: JSONValue]
        do {
            headerJSON = try JournalEntryLine.object(first, line: 1)
        } catch {
            // A header line that names this format was written by the journal writer, so it was altered.
            let named = Array("\"journal\":\"\(Self.format)\"".utf8)
            let ours =
                first.count >= named.count
                && (0...(first.count - named.count)).contains { first[$0..<$0 + named.count].elementsEqual(named) }
            if ours { throw error }
            throw JournalReadError(
                line: 1, field: "", reason: "not a \(Self.format) journal: \(error.reason)", kind: .unreadable)
        }
        let header = JournalEntryLine.sandboxMembers(headerJSON)
        guard case .string(let format)? = header["journal"], format == Self.format else {
            throw JournalReadError(line: 1, field: "journal", reason: "not a \(Self.format) journal", kind: .unreadable)
        }
        let known: Set = [
            "journal", "definition", "instance", "initialStateHash", "signer", "digests", "hash", "signature",
        ]
        if let unknown = header.keys.sorted().first(where: { !known.contains($0.string) }) {
            throw JournalReadError(line: 1, field: unknown.string, reason: "unknown field")
        }
        var signer: [UInt8]?
        if header["signer"] != nil {
            let hex = try JournalEntryLine.string(header, "signer", line: 1)
            guard let key = CanonicalHash.bytes(fromHex: hex), key.count == 32 else {
                throw JournalReadError(line: 1, field: "signer", reason: "expected a 32-byte Ed25519 public key in hex")
            }
            signer = key
        }
        var head = try JournalChain.verify(headerJSON, expectedPrev: nil, signer: signer, line: 1, step: nil)
        self.header = JournalHeader(
            definitionID: try JournalEntryLine.string(header, "definition", line: 1),
            instanceID: try JournalEntryLine.string(header, "instance", line: 1),
            initialStateHash: try JournalEntryLine.string(header, "initialStateHash", line: 1), signerKey: signer,
            line: first, hash: head)
        for (index, text) in lines.enumerated().dropFirst() {
            let number = index + 1
            do throws(JournalReadError) {
                if index == lines.count - 1, !complete {
                    throw JournalReadError(
                        line: number, field: "",
                        reason:
                            "incomplete last line (no line end): the writer stopped mid-line or the file was cut short",
                        kind: .incomplete)
                }
                let members = try JournalEntryLine.object(text, line: number)
                var step: UInt64?
                if case .integer(let sequence)? = members["sequence"], sequence >= 0 { step = UInt64(sequence) }
                let prev = head
                head = try JournalChain.verify(members, expectedPrev: head, signer: signer, line: number, step: step)
                let entry: JournalEntry
                do throws(JournalReadError) {
                    entry = try JournalEntryLine.entry(JournalEntryLine.sandboxMembers(members), line: number)
                } catch {
                    var located = error
                    located.step = step
                    throw located
                }
                guard entry.sequence == nextSequence else {
                    throw JournalReadError(
                        line: number, step: step, field: "sequence",
                        reason: "expected \(nextSequence), found \(entry.sequence)")
                }
                record(SealedJournalEntry(entry: entry, line: text, hash: head, prev: prev))
            } catch {
                var located = error
                located.verifiedSteps = sealedEntries.count
                firstProblem = located
                return
            }
        }
    }

    /// Reads JSON Lines text (see `init(bytes:)`).
    public init(jsonLines text: String) throws(JournalReadError) {
        try self.init(bytes: Array(text.utf8))
    }

    /// Checks that the journal is signed by `trustedKey`: `init(bytes:)` verified every line against the key
    /// the header names; this ties that key to the one the caller trusts.
    public func verifySigner(_ trustedKey: [UInt8]) throws(JournalReadError) {
        guard let signerKey else {
            throw JournalReadError(
                line: 1, field: "signer", reason: "the journal is unsigned, but a journal key was given",
                verifiedSteps: 0)
        }
        guard signerKey == trustedKey else {
            throw JournalReadError(
                line: 1, field: "signer",
                reason:
                    "signed by \(CanonicalHash.hex(signerKey)), not by "
                    + "the given journal key \(CanonicalHash.hex(trustedKey))",
                verifiedSteps: 0)
        }
    }
}
