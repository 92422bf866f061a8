/// Runs an operation at most once per key (bytes, never a `String`, whose equality is Unicode-canonical) and
/// hands every later or concurrent caller of that key the first result. A failed run is forgotten, so a retry
/// runs it again. Kept in memory: after a restart the key runs once more (the call still carries its
/// idempotency key, so the API books once).
actor OnceByKey<Value: Sendable> {
    private var done: [[UInt8]: Value] = [:]
    private var running: [[UInt8]: Task<Value, any Error>] = [:]

    /// The value of the first run for `key`, and whether this call ran it.
    func once(_ key: [UInt8], _ operation: @escaping @Sendable () async throws -> Value) async throws -> (
        value: Value, isNew: Bool
    ) {
        if let value = done[key] { return (value, false) }
        if let task = running[key] { return (try await task.value, false) }
        let task = Task { try await operation() }
        running[key] = task
        defer { running[key] = nil }
        let value = try await task.value
        done[key] = value
        return (value, true)
    }
}
