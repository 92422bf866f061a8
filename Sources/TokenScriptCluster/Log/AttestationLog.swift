import TokenScriptAttestation

/// The ordered, durable record of attestations: one gap-free log per topic, fenced appends, reads by
/// position and a live subscription.
///
/// Positions are counted per topic (`topic_head.last_position + 1` in a database, in the same
/// transaction as the insert), never from a global serial: a global sequence is taken before commit and
/// commits out of order, so a reader advancing past "the last one I saw" would skip late commits. A
/// fenced append checks the executor's epoch in the same transaction as the insert (see
/// `ExecutorElection`). Subscriptions are a convenience over reads: a consumer remembers the last position
/// it applied and resubscribes from the next one, so a missed wake-up costs latency, never entries.
public protocol AttestationLog: Sendable {
    /// Appends `attestation` at the next position of its topic, or returns the entry already logged under
    /// its id (idempotent: a retry after a lost answer appends nothing).
    /// - Parameter lease: when present, the append happens only while it is the current lease.
    /// - Throws: `StaleLeaseError` for a stale lease, `AttestationLogError` for a malformed attestation or
    ///   an id logged with other content; nothing is written then.
    func append(_ attestation: Attestation, fencedBy lease: ExecutorLease?) async throws -> LogAppend

    /// The last position of `topic`; 0 while it is empty.
    func head(of topic: String) async throws -> UInt64

    /// The entry at `position` of `topic`; nil beyond the head (and for position 0).
    func entry(topic: String, position: UInt64) async throws -> LogEntry?

    /// Up to `limit` entries of `topic` from `position` on, in order.
    func entries(topic: String, from position: UInt64, limit: Int) async throws -> [LogEntry]

    /// Up to `limit` topics from `position` on, in the order of their first entries (`LogTopic`): a topic is
    /// listed once its first append committed, at the next position, and never moves.
    /// - Throws: `AttestationLogError.invalidRange` for position 0 or a limit below 1.
    func topics(from position: UInt64, limit: Int) async throws -> [LogTopic]

    /// Every entry of `topic` from `position` on, in order: those already logged, then each later append.
    /// The stream ends only when the consumer stops reading (or, for a remote log, with an error).
    func subscribe(topic: String, from position: UInt64) async throws -> AsyncThrowingStream<LogEntry, any Error>
}
