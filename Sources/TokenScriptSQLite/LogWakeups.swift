import Synchronization

/// Wake-ups for the log's subscriptions on one store handle: a hint that a topic may have new entries.
///
/// A subscription reads by position from the file whenever it is woken, so a missed or extra wake-up costs
/// latency, never entries. An append through this handle wakes the topic's subscribers after it commits;
/// appends by another handle or process are found by each subscription's poll.
final class LogWakeups: Sendable {
    typealias Wakeup = AsyncStream<Void>.Continuation

    private struct Waiting {
        var next: UInt64 = 0
        var byTopic: [String: [UInt64: Wakeup]] = [:]
    }

    private let waiting = Mutex(Waiting())

    /// A stream of wake-ups for `topic` (holding at most one pending), woken once at once, and its id.
    func register(topic: String) -> (wakeups: AsyncStream<Void>, id: UInt64) {
        let (stream, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakeup.yield()
        let id = waiting.withLock { waiting in
            let id = waiting.next
            waiting.next += 1
            waiting.byTopic[topic, default: [:]][id] = wakeup
            return id
        }
        return (stream, id)
    }

    func unregister(topic: String, id: UInt64) {
        let wakeup = waiting.withLock { waiting in
            let wakeup = waiting.byTopic[topic]?.removeValue(forKey: id)
            if waiting.byTopic[topic]?.isEmpty == true { waiting.byTopic[topic] = nil }
            return wakeup
        }
        wakeup?.finish()
    }

    func wake(topic: String) {
        let wakeups = waiting.withLock { waiting in waiting.byTopic[topic].map { Array($0.values) } ?? [] }
        for wakeup in wakeups { wakeup.yield() }
    }

    /// Wakes one subscription: its poll, which finds what other handles or processes appended.
    func wake(topic: String, id: UInt64) {
        let wakeup = waiting.withLock { waiting in waiting.byTopic[topic]?[id] }
        wakeup?.yield()
    }

    /// Subscriptions still registered for `topic`.
    func count(of topic: String) -> Int { waiting.withLock { $0.byTopic[topic]?.count ?? 0 } }
}
