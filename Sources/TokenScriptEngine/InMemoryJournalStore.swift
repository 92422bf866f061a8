/// A journal store in memory: tests, scenarios and dry runs, and the default of a `JournaledInstance`.
///
/// Holds every sealed line it was given (that is its job); a node that must not keep journals in memory
/// uses `FileJournalStore` or a network store instead.
public actor InMemoryJournalStore: JournalStore {
    public nonisolated let header: JournalHeader
    private var stored: [SealedJournalEntry] = []
    private var subscribers = JournalSubscribers()

    /// An empty journal that starts with `header`.
    public init(header: JournalHeader) {
        self.header = header
    }

    public func head() -> JournalHead {
        stored.last.map { JournalHead(nextSequence: $0.entry.sequence + 1, lastHash: $0.hash) }
            ?? JournalHead(header: header)
    }

    public func append(_ entry: SealedJournalEntry) throws(JournalStoreError) {
        try head().checkContinues(with: entry)
        stored.append(entry)
        subscribers.publish(entry)
    }

    public func entries(from sequence: UInt64) -> [SealedJournalEntry] {
        Array(stored.drop { $0.entry.sequence < sequence })
    }

    public nonisolated func updates(after sequence: UInt64) -> AsyncThrowingStream<SealedJournalEntry, any Error> {
        JournalSubscribers.stream(
            subscribe: { continuation, token in await self.subscribe(continuation, token: token, after: sequence) },
            unsubscribe: { token in await self.unsubscribe(token) })
    }

    private func subscribe(
        _ continuation: JournalSubscribers.Continuation, token: JournalSubscribers.Token, after sequence: UInt64
    ) {
        for entry in stored where entry.entry.sequence > sequence { continuation.yield(entry) }
        subscribers.add(continuation, token: token)
    }

    private func unsubscribe(_ token: JournalSubscribers.Token) {
        subscribers.remove(token)
    }
}
