import Synchronization
import TokenScriptCluster

/// Wake-ups for the log's readers on one store handle: a hint that a topic may have new entries.
///
/// A reader reads by position from the file whenever it is woken, so a missed or extra wake-up costs latency,
/// never entries. An append through this handle wakes the topic's listeners after it commits; appends by
/// another handle or process are found by each reader's fallback poll. Topics are keyed by their bytes
/// (`ExactText`): Swift `String` equality would wake the readers of a canonically equivalent but different
/// topic and, worse, share one entry between two topics the log keeps apart.
final class LogWakeups: Sendable {
    private struct Registered {
        var next: UInt64 = 0
        var byTopic: [ExactText: [UInt64: LogWakeupSignal]] = [:]
    }

    private let registered = Mutex(Registered())

    /// A listener for `topic`, registered now: an append that commits after this call wakes it, even one that
    /// commits before its first `wait` (register before reading, and no wake-up is lost).
    func listen(to topic: String) -> LogListener {
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

    /// Wakes every listener of `topic` (after an append to it committed).
    func wake(topic: String) {
        let signals = registered.withLock { $0.byTopic[ExactText(topic)].map { Array($0.values) } ?? [] }
        for signal in signals { signal.signal() }
    }

    /// Listeners still registered for `topic`.
    func count(of topic: String) -> Int { registered.withLock { $0.byTopic[ExactText(topic)]?.count ?? 0 } }
}

/// One reader's wake-ups for one topic (from `SQLiteAttestationLog.listen(to:)`): `wait` returns when an append
/// committed since the last `wait` returned, or after a fallback timeout, or when the task is cancelled. It
/// stays registered until `close()` or until it is released.
public final class LogListener: Sendable {
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

/// A wake-up flag holding at most one pending signal, and the one reader waiting on it.
final class LogWakeupSignal: Sendable {
    private enum State {
        case quiet
        case signalled
        case waiting(CheckedContinuation<Void, Never>)
    }

    private let state = Mutex(State.quiet)

    func signal() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            switch state {
            case .waiting(let continuation):
                state = .quiet
                return continuation
            case .quiet, .signalled:
                state = .signalled
                return nil
            }
        }
        waiter?.resume()
    }

    /// Consumes the pending signal, or waits for the next one.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let pending = state.withLock { state -> Bool in
                switch state {
                case .signalled:
                    state = .quiet
                    return true
                case .quiet:
                    state = .waiting(continuation)
                    return false
                case .waiting:
                    preconditionFailure("two readers wait on one log listener")
                }
            }
            if pending { continuation.resume() }
        }
    }
}
