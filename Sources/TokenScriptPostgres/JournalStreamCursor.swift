import TokenScriptEngine

/// One `updates(after:)` stream of a `PostgresJournalStore`: it passes entries on strictly in sequence from `next`,
/// holding any that arrive early (while the backlog is read, or out of order) until their turn.
struct JournalStreamCursor: Sendable {
    private let continuation: JournalSubscribers.Continuation
    private var next: UInt64
    private var loading: Bool
    private var early: [UInt64: SealedJournalEntry] = [:]

    init(_ continuation: JournalSubscribers.Continuation, next: UInt64, loading: Bool) {
        self.continuation = continuation
        self.next = next
        self.loading = loading
    }

    /// The stored entries from `next` on, read after the stream was registered.
    mutating func deliverBacklog(_ backlog: [SealedJournalEntry]) {
        for entry in backlog { hold(entry) }
        loading = false
        drain()
    }

    /// An entry just appended.
    mutating func offer(_ entry: SealedJournalEntry) {
        hold(entry)
        if !loading { drain() }
    }

    private mutating func hold(_ entry: SealedJournalEntry) {
        if entry.entry.sequence >= next { early[entry.entry.sequence] = entry }
    }

    private mutating func drain() {
        while let entry = early.removeValue(forKey: next) {
            continuation.yield(entry)
            next += 1
        }
    }
}
