/// A journal store kept by one actor that feeds `updates(after:)` from its own appends.
///
/// The stores differ in where entries live (memory, a file, a recording); how a stream joins is the same for
/// all of them and lives here once: the backlog is read and the stream registered in one isolated call, so no
/// append can fall between the two.
package protocol PublishingJournalStore: JournalStore, Actor {
    /// The open `updates(after:)` streams; every append publishes to them.
    var subscribers: JournalSubscribers { get set }

    /// The entries with a sequence of at least `sequence`, read without leaving the actor.
    func entries(from sequence: UInt64) throws(JournalStoreError) -> [SealedJournalEntry]
}

extension PublishingJournalStore {
    /// The stream `updates(after:)` returns: the stored entries after `sequence`, then each later append.
    package nonisolated func subscription(after sequence: UInt64) -> AsyncThrowingStream<SealedJournalEntry, any Error>
    {
        JournalSubscribers.stream(
            subscribe: { continuation, token in await self.subscribe(continuation, token: token, after: sequence) },
            unsubscribe: { token in await self.unsubscribe(token) })
    }

    private func subscribe(
        _ continuation: JournalSubscribers.Continuation, token: JournalSubscribers.Token, after sequence: UInt64
    ) {
        do {
            let backlog = sequence == .max ? [] : try entries(from: sequence + 1)
            for entry in backlog { continuation.yield(entry) }
        } catch {
            continuation.finish(throwing: error)
            return
        }
        subscribers.add(continuation, token: token)
    }

    private func unsubscribe(_ token: JournalSubscribers.Token) {
        subscribers.remove(token)
    }
}
