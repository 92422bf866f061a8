import Logging
import PostgresNIO
import Synchronization
import TokenScriptCluster

/// The log's wake-ups across machines: appends through this store wake its own readers at once (`LogWakeups`,
/// with the entries), and are announced to the other stores on the database with `NOTIFY`, which their `LISTEN`
/// turns into wake-ups without entries (the readers read by position).
///
/// `NOTIFY` is only a hint, and batched: a notifying transaction takes a database-wide lock at commit, so it is
/// never part of an append's transaction. One notifier task sends every topic appended since its last round in one
/// `pg_notify` statement. A lost notification costs a reader its fallback poll, never an entry; after the
/// listening connection drops, every reader is woken once it is back.
final class PostgresLogWakeups: Sendable {
    let local = LogWakeups()
    private let client: PostgresClient
    private let logger: Logger
    /// The `LISTEN` channel: one per schema, so stores in other schemas of the database are not woken.
    let channel: String
    private struct Pending {
        var topics: [String] = []
        var waiter: CheckedContinuation<Void, Never>?
        var stopped = false
    }
    private let pending = Mutex(Pending())
    private let tasks = Mutex<[Task<Void, Never>]>([])
    /// The most bytes of topics one notification carries (PostgreSQL's limit is 8000); past that it names no
    /// topic and wakes every reader.
    static let payloadLimit = 7900

    init(client: PostgresClient, schema: String, logger: Logger) {
        self.client = client
        self.logger = logger
        channel = "ts_log_" + String(schema.prefix(50))
    }

    func start() {
        let listener = Task { [self] in await listen() }
        let notifier = Task { [self] in await notifyLoop() }
        tasks.withLock { $0 = [listener, notifier] }
    }

    func stop() {
        let waiter = pending.withLock { pending in
            pending.stopped = true
            defer { pending.waiter = nil }
            return pending.waiter
        }
        waiter?.resume()
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }

    /// After an append committed: wakes this store's readers with the entries and queues the topic for `NOTIFY`.
    func appended(topic: String, entries: [LogEntry]) {
        local.wake(topic: topic, appended: entries)
        let waiter = pending.withLock { pending in
            pending.topics.append(topic)
            defer { pending.waiter = nil }
            return pending.waiter
        }
        waiter?.resume()
    }

    private func notifyLoop() async {
        while true {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = pending.withLock { pending -> Bool in
                    if pending.stopped || !pending.topics.isEmpty { return true }
                    pending.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
            let topics: [String]? = pending.withLock { pending in
                guard !pending.stopped else { return nil }
                defer { pending.topics = [] }
                return pending.topics
            }
            guard let topics else { return }
            await notify(Array(Set(topics)))
        }
    }

    /// One statement, one transaction: the topics as payloads, or one empty payload when they are too long.
    private func notify(_ topics: [String]) async {
        guard !topics.isEmpty else { return }
        let fits = topics.allSatisfy { $0.utf8.count <= Self.payloadLimit }
        let payloads = fits ? topics : [""]
        do {
            try await client.query(
                "SELECT pg_notify(\(channel), payload) FROM unnest(\(payloads)::text[]) AS payload",
                logger: PostgresStore.quiet)
        } catch {
            // Only a hint: the other stores' readers find the entries at their fallback poll.
            logger.debug("NOTIFY failed: \(String(reflecting: error))")
        }
    }

    /// Holds one connection listening on the channel, wakes the readers of each notified topic, and comes back
    /// after a dropped connection (every reader woken then: notifications may have been missed meanwhile).
    private func listen() async {
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        local.wakeWithoutEntries(topic: nil)
                        delay = .milliseconds(100)
                        for try await notification in notifications {
                            local.wakeWithoutEntries(topic: notification.payload.isEmpty ? nil : notification.payload)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("LISTEN \(channel) dropped: \(String(reflecting: error))")
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }
}
