import TokenScriptAttestation

/// A live token instance: its current value and its journal, advanced one delivery at a time.
///
/// An actor so that deliveries to one instance are applied strictly one after another (each step
/// starts from the previous step's instance and history), while different instances run in parallel.
public actor JournaledInstance {
    public let machine: TokenStateMachine
    public private(set) var instance: TokenInstance
    public private(set) var journal: Journal
    /// The node's journal key, signing every journal line; nil keeps the journal unsigned (chained only).
    private let signer: JournalSigner?

    /// A new instance in the definition's initial state, with an empty journal signed by `signer`.
    public init(machine: TokenStateMachine, instanceID: String, signer: JournalSigner? = nil) {
        self.machine = machine
        let instance = machine.definition.newInstance(id: instanceID)
        self.instance = instance
        self.signer = signer
        self.journal = Journal(for: instance, signer: signer)
    }

    /// An instance starting from `instance` (a scenario's initial state and attributes), with an empty journal.
    public init(machine: TokenStateMachine, instance: TokenInstance, signer: JournalSigner? = nil) {
        self.machine = machine
        self.instance = instance
        self.signer = signer
        self.journal = Journal(for: instance, signer: signer)
    }

    /// Verifies and applies one attestation, journals the step and returns it. Every delivery is
    /// journaled, ignored and rejected ones included (with the instance unchanged), so the journal is
    /// also the audit trail of what was refused and why. An `EngineError` (worker crash, wall-clock
    /// limit) journals nothing: the delivery can simply be retried.
    @discardableResult
    public func deliver(_ attestation: Attestation, now: UInt64) async throws(EngineError) -> StepOutcome {
        // Within the attestation time range, so the journal can hold it exactly (see `AcceptedInput`).
        let now = AcceptedInput(attestation, acceptedAt: now).acceptedAt
        let outcome = try await machine.apply(attestation, to: instance, now: now, history: journal)
        journal.append(
            JournalEntry(sequence: journal.nextSequence, receivedAt: now, attestation: attestation, step: outcome), signer: signer)
        instance = outcome.instance
        return outcome
    }
}
