/// A subscription over a store's log read by position and woken by a `LogListener`: the shared loop of the SQLite
/// and PostgreSQL logs.
///
/// It reads from `position` at once, then whenever woken; a wake-up that hands along all the entries that follow
/// on from the last one delivered spares the read. Entries come by position, so none is skipped or repeated
/// whatever the wake-ups do; a missed one costs `pollInterval` of latency. A read that fails with an error
/// `retryable` accepts (a database restarting) is tried again at the next wake-up, at most a second later; any
/// other error ends the stream.
public enum LogSubscription {
    /// The most entries one read asks for.
    public static let batch = 256

    public static func stream(
        from position: UInt64, listener: LogListener, pollInterval: Duration,
        retryable: @escaping @Sendable (any Error) -> Bool = { _ in false },
        read: @escaping @Sendable (_ from: UInt64, _ limit: Int) async throws -> [LogEntry]
    ) -> AsyncThrowingStream<LogEntry, any Error> {
        let (stream, output) = AsyncThrowingStream.makeStream(of: LogEntry.self, throwing: (any Error).self)
        let reader = Task {
            var next = position
            var readStore = true
            do {
                while !Task.isCancelled {
                    var failed = false
                    while readStore {
                        let batch: [LogEntry]
                        do { batch = try await read(next, Self.batch) } catch  where retryable(error) {
                            failed = true
                            break
                        }
                        for entry in batch { output.yield(entry) }
                        if let last = batch.last { next = last.position + 1 }
                        if batch.count < Self.batch { break }
                    }
                    await listener.wait(timeout: failed ? min(pollInterval, .seconds(1)) : pollInterval)
                    // The appends that woke it, when they are all of them: no read of the store.
                    let handed = listener.handedEntries(continuing: next)
                    for entry in handed ?? [] { output.yield(entry) }
                    if let last = handed?.last { next = last.position + 1 }
                    readStore = handed == nil || failed
                }
                output.finish()
            } catch {
                output.finish(throwing: error)
            }
        }
        output.onTermination = { _ in
            reader.cancel()
            listener.close()
        }
        return stream
    }
}
