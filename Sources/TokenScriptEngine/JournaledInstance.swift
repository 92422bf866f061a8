import TokenScriptAttestation

/// A live token instance: its current value, advanced one delivery at a time, every step written to its
/// journal store.
///
/// An actor so that deliveries to one instance are applied one after another (each step starts from the
/// previous step's instance and history), while different instances run in parallel. The journal itself
/// stays in the store: the instance keeps only its head (next sequence, last line hash), to seal the next
/// entry, and the consumed attestations' digests (`JournalHistory`), which the verifier needs. Deliveries
/// must not overlap (await one before starting the next): the store's conditional append refuses the
/// second of two that started from the same head, and nothing of it is journaled.
public actor JournaledInstance {
    public let machine: TokenStateMachine
    public private(set) var instance: TokenInstance
    /// Where every entry is written.
    public nonisolated let store: any JournalStore
    /// Where the next entry continues the journal.
    public private(set) var head: JournalHead
    private var history: JournalHistory
    /// The node's journal key, signing every journal line; nil keeps the journal unsigned (chained only).
    private let signer: JournalSigner?

    /// A new instance in the definition's initial state, journaled in memory and signed by `signer`.
    public init(machine: TokenStateMachine, instanceID: String, signer: JournalSigner? = nil) {
        self.init(machine: machine, instance: machine.definition.newInstance(id: instanceID), signer: signer)
    }

    /// The instance whose journal `store` holds, continuing it: in its initial state when the journal has no
    /// entries yet, else in the state of the last entry's snapshot. `signer` must be the key the header names
    /// (nil for an unsigned journal), so every line of a journal is signed alike. Reads the entries once, for
    /// the consumed attestations the verifier needs. `initial`: the instance an empty journal starts from when
    /// it is not the definition's new instance (a run started from a given state); its hash must be the header's.
    public init(
        machine: TokenStateMachine, store: any JournalStore, signer: JournalSigner? = nil,
        initial: TokenInstance? = nil
    ) async throws(EngineError) {
        let header = store.header
        guard header.signerKey == signer?.publicKey else {
            throw Self.mismatch(
                "signer",
                "the journal is signed by \(header.signerKeyHex ?? "no key"), the writer by "
                    + "\(signer.map { CanonicalHash.hex($0.publicKey) } ?? "no key")")
        }
        let entries: [SealedJournalEntry]
        do { entries = try await store.entries(from: 1) } catch { throw EngineError(.journalStore(error)) }
        var instance = initial ?? machine.definition.newInstance(id: header.instanceID)
        if let last = entries.last {
            guard let resumed = TokenInstance(canonicalValue: last.entry.instance, definitionID: machine.definition.id)
            else {
                throw Self.mismatch("instance", "step \(last.entry.sequence)'s snapshot is not an instance")
            }
            instance = resumed
        } else if instance.stateHash != header.initialStateHash {
            throw Self.mismatch(
                "initialStateHash",
                "the journal starts from \(header.initialStateHash), the definition from \(instance.stateHash)")
        }
        self.machine = machine
        self.instance = instance
        self.store = store
        self.head = JournalHead(header: header, last: entries.last)
        self.history = JournalHistory(entries.map(\.entry))
        self.signer = signer
    }

    private static func mismatch(_ field: String, _ detail: String) -> EngineError {
        EngineError(.journalStore(JournalStoreError(.headerMismatch(field: field, detail: detail))))
    }

    /// An instance starting from `instance` (a scenario's initial state and attributes), with an empty journal.
    public init(machine: TokenStateMachine, instance: TokenInstance, signer: JournalSigner? = nil) {
        let header = JournalHeader(for: instance, signer: signer)
        self.machine = machine
        self.instance = instance
        self.store = InMemoryJournalStore(header: header)
        self.head = JournalHead(header: header)
        self.history = JournalHistory()
        self.signer = signer
    }

    /// Verifies and applies one attestation, journals the step and returns it. Every delivery is
    /// journaled, ignored and rejected ones included (with the instance unchanged), so the journal is
    /// also the audit trail of what was refused and why. An `EngineError` (worker crash, wall-clock
    /// limit, a store that refused the entry) journals nothing and leaves the instance as it was: the
    /// delivery can simply be retried.
    @discardableResult
    public func deliver(_ attestation: Attestation, now: UInt64) async throws(EngineError) -> StepOutcome {
        // Within the attestation time range, so the journal can hold it exactly (see `AcceptedInput`).
        let now = AcceptedInput(attestation, acceptedAt: now).acceptedAt
        let outcome = try await machine.apply(attestation, to: instance, now: now, history: history)
        let entry = JournalEntry(sequence: head.nextSequence, receivedAt: now, attestation: attestation, step: outcome)
        let sealed = SealedJournalEntry(sealing: entry, prev: head.lastHash, signer: signer)
        do { try await store.append(sealed) } catch { throw EngineError(.journalStore(error)) }
        head = head.advanced(past: sealed)
        history.record(entry)
        instance = outcome.instance
        return outcome
    }

    /// The journaled entries from `sequence` on, read from the store.
    public func journalEntries(from sequence: UInt64 = 1) async throws(EngineError) -> [JournalEntry] {
        do { return try await store.entries(from: sequence).map(\.entry) } catch {
            throw EngineError(.journalStore(error))
        }
    }

    /// The whole journal, read from the store: for tools and tests that write or inspect it as one value.
    public func journal() async throws(EngineError) -> Journal {
        do {
            return Journal(header: store.header, sealedEntries: try await store.entries(from: 1))
        } catch {
            throw EngineError(.journalStore(error))
        }
    }
}
