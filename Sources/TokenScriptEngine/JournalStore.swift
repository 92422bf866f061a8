/// Where an instance's journal lives: a header, then sealed entries appended one at a time.
///
/// An append is conditional, as a compare-and-set: it succeeds only if the entry's sequence is the store's
/// next sequence and the entry is sealed after the store's last line, so two writers (two nodes, or two
/// overlapping deliveries) can never both extend the journal from the same point; the loser gets a
/// `JournalStoreError` naming both numbers and nothing is written. Reading starts at any sequence, and
/// `updates(after:)` follows the journal as it grows (a replica, a monitor, the effect coordinator).
/// Implementations: `InMemoryJournalStore` here, `FileJournalStore` (TokenScriptJournalFile), and the replay
/// store (`ReplayJournalStore`) that checks each append against a recorded journal.
public protocol JournalStore: Sendable {
    /// The line the journal starts with.
    var header: JournalHeader { get }

    /// The next sequence and the last line's hash: where the next append must continue.
    func head() async throws(JournalStoreError) -> JournalHead

    /// Appends `entry` if `entry.entry.sequence` is the next sequence and `entry.prev` the last line's hash;
    /// otherwise throws (`sequenceMismatch`, `chainMismatch`) and writes nothing. Durable when it returns.
    func append(_ entry: SealedJournalEntry) async throws(JournalStoreError)

    /// The entries with a sequence of at least `sequence`, in order (from 1: the whole journal).
    func entries(from sequence: UInt64) async throws(JournalStoreError) -> [SealedJournalEntry]

    /// The entries after `sequence`: those already stored, then each later one as it is appended. Ends
    /// only when the consumer stops (or with an error if the store can no longer be read).
    func updates(after sequence: UInt64) -> AsyncThrowingStream<SealedJournalEntry, any Error>
}

/// Where a journal's next entry must continue: its sequence and the hash of the line before it.
public struct JournalHead: Sendable, Hashable {
    public var nextSequence: UInt64
    /// The hash of the last line (the header's when there are no entries yet).
    public var lastHash: String

    public init(nextSequence: UInt64, lastHash: String) {
        self.nextSequence = nextSequence
        self.lastHash = lastHash
    }

    /// The head of a journal that has only its header.
    public init(header: JournalHeader) {
        self.init(nextSequence: 1, lastHash: header.hash)
    }

    /// The head of a journal whose last entry is `last` (nil: only the header).
    public init(header: JournalHeader, last: SealedJournalEntry?) {
        self = last.map { JournalHead(header: header).advanced(past: $0) } ?? JournalHead(header: header)
    }

    /// Throws unless `entry` continues the journal exactly here: the check every store makes before writing.
    public func checkContinues(with entry: SealedJournalEntry) throws(JournalStoreError) {
        guard entry.entry.sequence == nextSequence else {
            throw JournalStoreError(.sequenceMismatch(appended: entry.entry.sequence, next: nextSequence))
        }
        guard entry.prev == lastHash else {
            throw JournalStoreError(.chainMismatch(sequence: entry.entry.sequence, prev: entry.prev, last: lastHash))
        }
    }

    /// The head after `entry` was appended.
    public func advanced(past entry: SealedJournalEntry) -> JournalHead {
        JournalHead(nextSequence: entry.entry.sequence + 1, lastHash: entry.hash)
    }
}
