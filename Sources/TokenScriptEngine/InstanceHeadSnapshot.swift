import TokenScriptRuntime

/// An instance's stored head as a journal entry's snapshot leaves it: its step and canonical JSON (the snapshot is
/// `TokenInstance.canonicalValue`, so its JSON is the stored `canonical` byte for byte). What a journal store that
/// keeps the head writes in its append's transaction (SQLite's and PostgreSQL's).
public struct InstanceHeadSnapshot: Sendable {
    public let step: UInt64
    public let canonical: String

    /// Nil for a snapshot without a step (never one the engine journals).
    public init?(_ snapshot: SandboxValue) {
        guard case .int(let step)? = snapshot.objectMembers?["step"], step >= 0 else { return nil }
        self.step = UInt64(step)
        self.canonical = snapshot.jsonText
    }
}
