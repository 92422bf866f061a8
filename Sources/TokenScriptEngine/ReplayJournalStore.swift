/// The journal store a replay writes to: it holds a recorded journal and accepts an append only if it is the
/// step the recording holds at that sequence.
///
/// Replay runs the production path (`JournaledInstance.apply`, the state machine, the runtime) against this
/// stand-in, as Temporal's replayer runs the production worker against a replay bridge: the live and replay
/// paths cannot drift, and the store is where they are compared. The first append that differs (outcome,
/// events, effects, any snapshot field, the state hash) is refused with `diverged`, naming the step, its
/// attestation, the trigger and the fields; nothing is written anywhere.
public actor ReplayJournalStore: PublishingJournalStore {
    /// An unsigned header with the recording's ids and initial state hash: replay re-seals without a key.
    public nonisolated let header: JournalHeader
    private let recorded: [JournalEntry]
    private var replayed: [SealedJournalEntry] = []
    package var subscribers = JournalSubscribers()

    /// A store expecting the steps of `recording`.
    public init(recording: Journal) {
        self.header = JournalHeader(
            definitionID: recording.definitionID, instanceID: recording.instanceID,
            initialStateHash: recording.initialStateHash)
        self.recorded = recording.entries
    }

    /// Steps replayed and matched so far.
    public var replayedSteps: Int { replayed.count }

    public func head() -> JournalHead {
        JournalHead(header: header, last: replayed.last)
    }

    public func append(_ entry: SealedJournalEntry) throws(JournalStoreError) {
        try head().checkContinues(with: entry)
        let sequence = entry.entry.sequence
        guard sequence >= 1, sequence <= UInt64(recorded.count) else {
            throw JournalStoreError(.beyondRecording(sequence: sequence, recorded: recorded.count))
        }
        let journaled = recorded[Int(sequence - 1)]
        let differences = ReplayComparison.differences(journaled: journaled, replayed: entry.entry)
        guard differences.isEmpty else {
            throw JournalStoreError(
                .diverged(
                    NonDeterminismError(
                        sequence: journaled.sequence, attestationID: journaled.attestation.id,
                        trigger: journaled.outcome.trigger ?? entry.entry.outcome.trigger, differingFields: differences)
                ))
        }
        replayed.append(entry)
        subscribers.publish(entry)
    }

    public func entries(from sequence: UInt64) -> [SealedJournalEntry] {
        Array(replayed.drop { $0.entry.sequence < sequence })
    }

    public nonisolated func updates(after sequence: UInt64) -> AsyncThrowingStream<SealedJournalEntry, any Error> {
        subscription(after: sequence)
    }
}
