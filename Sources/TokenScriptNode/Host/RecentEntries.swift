import TokenScriptCluster

/// Log entries this node wrote or was handed lately, by topic (bytes) and position, the oldest dropped first
/// past `capacity`: an order record, or the input it names, that a stream delivered or this node appended a
/// moment before the apply loop or the executor asks for it is not fetched from the log again. An entry never
/// changes at its position, so a kept one is never stale.
struct RecentEntries: Sendable {
    private var entries: [OrderKey: LogEntry] = [:]
    private var slots: [OrderKey?]
    private var next = 0

    init(capacity: Int) {
        slots = Array(repeating: nil, count: max(1, capacity))
    }

    mutating func remember(_ entry: LogEntry) {
        let key = OrderKey(topic: entry.topic, position: entry.position)
        guard entries.updateValue(entry, forKey: key) == nil else { return }
        if let evicted = slots[next] { entries[evicted] = nil }
        slots[next] = key
        next = (next + 1) % slots.count
    }

    func entry(topic: String, position: UInt64) -> LogEntry? {
        entries[OrderKey(topic: topic, position: position)]
    }
}
