import TokenScriptJSON

/// One journal entry sealed into its chain: the entry, the exact line a store writes, and the line's hash.
///
/// Sealing happens once, where the entry is made (`JournaledInstance`, which holds the journal key); stores
/// only keep and return what they were given, so every store holds byte-identical lines.
public struct SealedJournalEntry: Sendable, Hashable {
    public let entry: JournalEntry
    /// The canonical JSON line, without the line end.
    public let line: [UInt8]
    /// The chain hash of `line`: the `prev` of the next entry.
    public let hash: String
    /// The hash of the line before (the header's for the first entry).
    public let prev: String

    /// Seals `entry` after the line whose hash is `prev`; with a `signer`, the line is signed.
    public init(sealing entry: JournalEntry, prev: String, signer: JournalSigner?) {
        let sealed = JournalChain.seal(entry.lineMembers, prev: prev, signer: signer)
        self.init(entry: entry, line: sealed.line, hash: sealed.hash, prev: prev)
    }

    /// A line read back and verified (`Journal(bytes:)`).
    init(entry: JournalEntry, line: [UInt8], hash: String, prev: String) {
        self.entry = entry
        self.line = line
        self.hash = hash
        self.prev = prev
    }
}
