import TokenScriptAttestation

/// One input as the engine accepted it: the attestation and the time fixed, once, at acceptance.
///
/// Validity windows (`expiresAt`, not-yet-valid) are judged against `acceptedAt`, never against the clock of
/// the machine applying the input, so two replicas that apply one accepted input reach the same state
/// whenever each of them happens to receive it, and a replay years later answers as the first run did.
/// `acceptedAt` is journaled as the entry's `receivedAt`.
public struct AcceptedInput: Sendable, Hashable {
    public var attestation: Attestation
    /// Unix seconds, within `0…AttestationValue.maximumInteger` like every attestation time.
    public var acceptedAt: UInt64

    /// `acceptedAt` is clamped to the attestation time range, so a journal can always hold it as written.
    public init(_ attestation: Attestation, acceptedAt: UInt64) {
        self.attestation = attestation
        self.acceptedAt = min(acceptedAt, UInt64(AttestationValue.maximumInteger))
    }

    /// Accepts `attestation` now: reads `clock` once.
    public init(_ attestation: Attestation, clock: some EngineClock) {
        self.init(attestation, acceptedAt: clock.unixSeconds())
    }
}

extension JournalEntry {
    /// The input this step applied, as a replica or a replay applies it again.
    public var input: AcceptedInput { AcceptedInput(attestation, acceptedAt: receivedAt) }
}

extension JournaledInstance {
    /// Accepts an attestation at `clock`'s time and applies it (the one place a node's clock is read).
    @discardableResult
    public func accept(_ attestation: Attestation, clock: some EngineClock) async throws(EngineError) -> StepOutcome {
        try await apply(AcceptedInput(attestation, clock: clock))
    }

    /// Applies an input accepted here or by another replica, at its fixed `acceptedAt`.
    @discardableResult
    public func apply(_ input: AcceptedInput) async throws(EngineError) -> StepOutcome {
        try await deliver(input.attestation, now: input.acceptedAt)
    }
}
