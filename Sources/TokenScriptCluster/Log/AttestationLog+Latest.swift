extension AttestationLog {
    /// The last entry of `topic`, or nil while it is empty: its head, read, then the entry there.
    public func latestEntry(of topic: String) async throws -> LogEntry? {
        let head = try await head(of: topic)
        return head > 0 ? try await entry(topic: topic, position: head) : nil
    }
}
