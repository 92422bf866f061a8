import Synchronization

/// Wake-ups for the log's readers on one store handle: a hint that a topic may have new entries. Shared by the
/// stores that keep the log (SQLite, PostgreSQL).
///
/// A reader reads by position from the store whenever it is woken without the entries it needs, so a missed or
/// extra wake-up costs latency, never entries; a wake-up hands the appended entries along, so a reader that is up
/// to date takes them without reading the store (`LogListener.handedEntries(continuing:)`). An append through
/// this handle wakes the topic's listeners after it commits; appends by another handle or process are found by
/// each reader's fallback poll, or sooner by a store's own hint (PostgreSQL's `LISTEN`, `wakeWithoutEntries`).
/// Topics are keyed by their bytes (`ExactText`): Swift `String` equality would wake the readers of a canonically
/// equivalent but different topic and, worse, share one entry between two topics the log keeps apart.
public final class LogWakeups: Sendable {
    public init() {}

    private struct Registered {
        var next: UInt64 = 0
        var byTopic: [ExactText: [UInt64: LogWakeupSignal]] = [:]
    }

    private let registered = Mutex(Registered())

    /// A listener for `topic`, registered now: an append that commits after this call wakes it, even one that
    /// commits before its first `wait` (register before reading, and no wake-up is lost).
    public func listen(to topic: String) -> LogListener {
        let key = ExactText(topic)
        let signal = LogWakeupSignal()
        let id = registered.withLock { registered in
            let id = registered.next
            registered.next += 1
            registered.byTopic[key, default: [:]][id] = signal
            return id
        }
        return LogListener(signal: signal) { [self] in unregister(key, id) }
    }

    private func unregister(_ topic: ExactText, _ id: UInt64) {
        registered.withLock { registered in
            registered.byTopic[topic]?.removeValue(forKey: id)
            if registered.byTopic[topic]?.isEmpty == true { registered.byTopic[topic] = nil }
        }
    }

    /// Wakes every listener of `topic` after an append to it committed, handing each the entries it appended,
    /// so a reader that has read up to them takes them without reading the file.
    public func wake(topic: String, appended entries: [LogEntry]) {
        let signals = registered.withLock { $0.byTopic[ExactText(topic)].map { Array($0.values) } ?? [] }
        for signal in signals { signal.signal(handing: entries) }
    }

    /// Wakes the listeners of `topic` without entries (an append elsewhere): they read the store. Nil wakes every
    /// listener (a hint channel that was down may have missed some).
    public func wakeWithoutEntries(topic: String?) {
        let signals = registered.withLock { registered in
            guard let topic else { return registered.byTopic.values.flatMap(\.values) }
            return registered.byTopic[ExactText(topic)].map { Array($0.values) } ?? []
        }
        for signal in signals { signal.signal() }
    }

    /// Listeners still registered for `topic`.
    public func count(of topic: String) -> Int { registered.withLock { $0.byTopic[ExactText(topic)]?.count ?? 0 } }
}

/// One reader's wake-ups for one topic (from a store's `listen(to:)`): `wait` returns when an append
/// committed since the last `wait` returned, or after a fallback timeout, or when the task is cancelled. It
/// stays registered until `close()` or until it is released.
public final class LogListener: Sendable {
    /// The most appended entries a listener keeps between two takes; past that the reader reads the file.
    public static let keptEntries = LogWakeupSignal.keptEntries
    private let signal: LogWakeupSignal
    private let unregister: Mutex<(@Sendable () -> Void)?>

    init(signal: LogWakeupSignal, unregister: @escaping @Sendable () -> Void) {
        self.signal = signal
        self.unregister = Mutex(unregister)
    }

    deinit { close() }

    /// Stops listening (idempotent).
    public func close() {
        let unregister = self.unregister.withLock { unregister in
            defer { unregister = nil }
            return unregister
        }
        unregister?()
    }

    /// The entries appended through this handle since the last call, from `next` on (those before it are
    /// dropped: read already), when they are known to be all of them: nil once a wake-up came without entries
    /// (the fallback timeout, a cancellation), when more were handed than a listener keeps, or when they do not
    /// follow on from `next` without a gap (two appends woke out of commit order). Nil means: read the file.
    public func handedEntries(continuing next: UInt64) -> [LogEntry]? {
        guard var entries = signal.takeHanded() else { return nil }
        entries = entries.filter { $0.position >= next }.sorted { $0.position < $1.position }
        for (offset, entry) in entries.enumerated() where entry.position != next + UInt64(offset) { return nil }
        return entries
    }

    /// Returns at once when the topic was appended to since the last return, else at the next append, after
    /// `timeout` (the fallback poll: a wake-up that never comes only delays the reader), or on cancellation.
    /// One reader waits at a time.
    public func wait(timeout: Duration) async {
        let signal = self.signal
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            signal.signal()
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await signal.wait()
        } onCancel: {
            signal.signal()
        }
    }
}

/// A wake-up flag holding at most one pending signal, the one reader waiting on it, and the entries handed with
/// the signals since the reader last took them (at most `keptEntries`; past that, or after a signal without
/// entries, the reader is told to read the file instead).
final class LogWakeupSignal: Sendable {
    private enum Phase {
        case quiet
        case signalled
        case waiting(CheckedContinuation<Void, Never>)
    }

    private struct State {
        var phase = Phase.quiet
        var handed: [LogEntry] = []
        /// False once a signal came without entries or more came than are kept: `handed` is not all of them.
        var complete = true
    }

    static let keptEntries = 256
    private let state = Mutex(State())

    /// Wakes the reader; `entries`: what the append that signals committed (nil: a wake-up without them).
    func signal(handing entries: [LogEntry]? = nil) {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            if let entries, state.complete, state.handed.count + entries.count <= Self.keptEntries {
                state.handed += entries
            } else {
                state.complete = false
                state.handed = []
            }
            switch state.phase {
            case .waiting(let continuation):
                state.phase = .quiet
                return continuation
            case .quiet, .signalled:
                state.phase = .signalled
                return nil
            }
        }
        waiter?.resume()
    }

    /// The entries handed since the last call, or nil when they are not all of them; starts afresh.
    func takeHanded() -> [LogEntry]? {
        state.withLock { state in
            defer {
                state.handed = []
                state.complete = true
            }
            return state.complete ? state.handed : nil
        }
    }

    /// Consumes the pending signal, or waits for the next one.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let pending = state.withLock { state -> Bool in
                switch state.phase {
                case .signalled:
                    state.phase = .quiet
                    return true
                case .quiet:
                    state.phase = .waiting(continuation)
                    return false
                case .waiting:
                    preconditionFailure("two readers wait on one log listener")
                }
            }
            if pending { continuation.resume() }
        }
    }
}
