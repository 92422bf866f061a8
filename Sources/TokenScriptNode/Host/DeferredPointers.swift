import TokenScriptCluster

/// Network only: inputs this node accepted for instances it does not execute, waiting to be left in their
/// inboxes (`inbox/<id>`).
///
/// The elected executor follows the same topics as every host of the instance and orders an input as soon as
/// its topic stream delivers it, so on the usual path nobody needs a pointer; writing one at once put two or three
/// extra appends (and an election request) on the anchor for every input, in the way of the executor's own
/// append. A pointer is the fallback for an executor that missed the input (it died, it was just elected, its
/// reader lags), so it is left a tick later, only for an input still not ordered then.
///
/// Counted in ticks, not clock time: an input waits until a whole tick has passed since it was added (between
/// one and two ticks of the node's network loop).
struct DeferredPointers: Sendable {
    struct Waiting: Sendable {
        let input: LogEntry
        let instance: String
    }

    /// Added since the last tick.
    private var fresh: [Waiting] = []
    /// Added before the last tick: due at the next one.
    private var aged: [Waiting] = []

    var isEmpty: Bool { fresh.isEmpty && aged.isEmpty }

    /// Whether a pointer for `instance` waits (it is not put to rest meanwhile).
    func contains(instance: String) -> Bool {
        fresh.contains { $0.instance == instance } || aged.contains { $0.instance == instance }
    }

    mutating func add(_ input: LogEntry, for instance: String) {
        fresh.append(Waiting(input: input, instance: instance))
    }

    /// At a tick: the pointers that have waited a whole tick; the fresh ones age.
    mutating func takeDue() -> [Waiting] {
        let due = aged
        aged = fresh
        fresh = []
        return due
    }
}
