/// A journal store in memory: tests, scenarios and dry runs, and the default of a `JournaledInstance`.
///
/// Holds every sealed line it was given (that is its job); a node that must not keep journals in memory
/// uses `FileJournalStore` or a network store instead.
public actor InMemoryJournalStore: PublishingJournalStore {
    public nonisolated let header: JournalHeader
    private var stored: [SealedJournalEntry] = []
    package var subscribers = JournalSubscribers()

    /// An empty journal that starts with `header`.
    public init(header: JournalHeader) {
        self.header = header
    }

    public func head() -> JournalHead {
        JournalHead(header: header, last: stored.last)
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
        subscription(after: sequence)
    }
}
