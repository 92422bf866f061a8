/// The open `updates(after:)` streams of a store, fed by its appends. Used inside one actor.
package struct JournalSubscribers: Sendable {
    package typealias Continuation = AsyncThrowingStream<SealedJournalEntry, any Error>.Continuation

    /// Identifies one stream, so its termination can remove it.
    package final class Token: Sendable {
        package init() {}
    }

    private var continuations: [ObjectIdentifier: Continuation] = [:]

    package init() {}

    /// A stream that registers itself with `subscribe` (which must first yield the backlog, in the same
    /// isolated call, so no append falls between the two) and leaves with `unsubscribe`.
    package static func stream(
        subscribe: @escaping @Sendable (Continuation, Token) async -> Void,
        unsubscribe: @escaping @Sendable (Token) async -> Void
    ) -> AsyncThrowingStream<SealedJournalEntry, any Error> {
        AsyncThrowingStream { continuation in
            let token = Token()
            continuation.onTermination = { _ in Task { await unsubscribe(token) } }
            Task { await subscribe(continuation, token) }
        }
    }

    package mutating func add(_ continuation: Continuation, token: Token) {
        continuations[ObjectIdentifier(token)] = continuation
    }

    package mutating func remove(_ token: Token) {
        continuations[ObjectIdentifier(token)] = nil
    }

    /// Hands an appended entry to every open stream.
    package func publish(_ entry: SealedJournalEntry) {
        for continuation in continuations.values { continuation.yield(entry) }
    }
}
