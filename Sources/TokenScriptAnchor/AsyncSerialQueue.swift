/// Runs async operations one at a time, in arrival order: a check-then-write that awaits in between (read the
/// registrations, append to the log, update placement) must not interleave with another such write, and an
/// actor alone would not prevent it (it is reentrant at every `await`).
actor AsyncSerialQueue {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<Value: Sendable>(_ operation: @Sendable () async throws -> Value) async throws -> Value {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await operation()
    }
}
