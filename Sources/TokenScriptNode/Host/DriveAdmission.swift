/// Bounds the apply loops started and not yet ended (`InstanceHost.drivers`), so a sender faster than the
/// node waits at `submit` (its request takes longer) instead of growing a backlog of unapplied inputs. An
/// unbounded backlog outruns the node's caches of recent entries and checked signatures (every input is then
/// read back from the store and its signature checked twice) and grows memory without limit.
struct DriveAdmission {
    /// The most apply loops that may be pending before `submit` waits.
    let limit: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var first = 0

    init(limit: Int) { self.limit = max(1, limit) }

    /// Queues a waiter, resumed by `admitNext` or `admitAll`.
    mutating func wait(_ continuation: CheckedContinuation<Void, Never>) { waiters.append(continuation) }

    /// Resumes the longest waiting submit, if any.
    mutating func admitNext() {
        guard first < waiters.count else { return }
        waiters[first].resume()
        first += 1
        if first == waiters.count || first > 1024 {
            waiters.removeFirst(first)
            first = 0
        }
    }

    /// Resumes every waiter (the host stops).
    mutating func admitAll() {
        while first < waiters.count { admitNext() }
    }
}
