import TokenScriptSandbox

/// What a successful replay verified.
public struct ReplayReport: Sendable, Hashable {
    public var instanceID: String
    /// The definition the journal was written with, and the one replayed; they may differ (an edited
    /// TokenScript), in which case a clean replay shows the edit did not change any journaled step.
    public var journaledDefinitionID: String
    public var replayedDefinitionID: String
    /// Steps re-run, every one with the journaled outcome and state hash.
    public var stepsVerified: Int
    public var finalStateHash: String
}

/// Re-runs a journal's deliveries from the initial instance and checks every step against it.
///
/// The journal's integrity (chain, snapshots hashing to their state hashes, signatures) was checked when
/// it was read (`Journal.init(bytes:)`); replay checks that the steps are what the logic computes. Each step
/// is re-verified with the journaled `receivedAt`, against the history replay itself builds, and its
/// transition re-run in the sandbox; the outcome, events, effects, every field of the stored instance
/// snapshot and the state hash must all equal the journal's. The first difference ends the replay with a `NonDeterminismError`. A sandbox failure
/// that is not the transition's (a crash) is an `EngineError`, not a divergence.
///
/// What this proves and what it cannot: transitions run in deterministic mode, where `os.time` is the
/// event's signed time, `math.random` is seeded from (instance, step) and `pairs` iterates in a fixed
/// order, so a script that "uses the wall clock" or "iterates unordered" gets the same answers on replay
/// and is *not* non-deterministic here; the sandbox removes those sources rather than replay detecting
/// them. Replay catches what can still change a step: an edited transition, a different definition, a
/// different seed or clock (`TransitionEnvironment`), or a sandbox run outside deterministic mode.
public enum Replay {
    public static func run(
        _ journal: Journal, definition: TokenDefinition, pool: SandboxPool, limits: SandboxLimits = .init(),
        environment: TransitionEnvironment = .standard
    ) async throws -> ReplayReport {
        let machine = TokenStateMachine(definition: definition, pool: pool, limits: limits, environment: environment)
        var instance = definition.newInstance(id: journal.instanceID)
        if instance.stateHash != journal.initialStateHash {
            throw NonDeterminismError(
                sequence: 0, attestationID: "", trigger: nil,
                differingFields: ["stateHash": .init(journaled: journal.initialStateHash, replayed: instance.stateHash)])
        }
        var history = Journal(for: instance)
        for entry in journal.entries {
            let outcome = try await machine.apply(entry.attestation, to: instance, now: entry.receivedAt, history: history)
            let replayed = JournalEntry(
                sequence: entry.sequence, receivedAt: entry.receivedAt, attestation: entry.attestation, step: outcome)
            let differences = differences(journaled: entry, replayed: replayed)
            if !differences.isEmpty {
                throw NonDeterminismError(
                    sequence: entry.sequence, attestationID: entry.attestation.id,
                    trigger: entry.outcome.trigger ?? replayed.outcome.trigger, differingFields: differences)
            }
            history.append(replayed)
            instance = outcome.instance
        }
        return ReplayReport(
            instanceID: journal.instanceID, journaledDefinitionID: journal.definitionID,
            replayedDefinitionID: definition.id, stepsVerified: journal.entries.count, finalStateHash: instance.stateHash)
    }

    /// Field-by-field differences between a journaled step and its re-run. The instance is compared
    /// per field (`state`, `step`, `attributes.<name>`, `topicPositions.<topic>`) so the report says *what*
    /// diverged; the hash is compared too, so a difference the paths miss is still caught.
    static func differences(journaled: JournalEntry, replayed: JournalEntry) -> [String: NonDeterminismError.Difference] {
        // The journal's reader keeps integers and floats apart, so a value read back is the value written.
        func normalised(_ value: SandboxValue?) -> String { value?.jsonText ?? "absent" }
        var result: [String: NonDeterminismError.Difference] = [:]
        func note(_ path: String, _ a: SandboxValue?, _ b: SandboxValue?) {
            let left = normalised(a), right = normalised(b)
            if left != right { result[path] = .init(journaled: left, replayed: right) }
        }
        if journaled.outcome != replayed.outcome {
            result["outcome"] = .init(journaled: journaled.outcome.description, replayed: replayed.outcome.description)
        }
        note("events", .array(journaled.events.map(\.canonicalValue)), .array(replayed.events.map(\.canonicalValue)))
        note("effects", .array(journaled.effects.map(\.canonicalValue)), .array(replayed.effects.map(\.canonicalValue)))
        // Every stored snapshot is compared with the re-run, not only its hash: a snapshot is what tools
        // show as the step's state, so one that replay did not reproduce must not pass.
        let a = journaled.instance.objectMembers ?? [:], b = replayed.instance.objectMembers ?? [:]
        for key in Set(a.keys).union(b.keys) {
            if key == "attributes" || key == "topicPositions" {
                let x = a[key]?.objectMembers ?? [:], y = b[key]?.objectMembers ?? [:]
                for name in Set(x.keys).union(y.keys) { note("\(key).\(name)", x[name], y[name]) }
            } else {
                note(key.string, a[key], b[key])
            }
        }
        if journaled.stateHash != replayed.stateHash {
            result["stateHash"] = .init(journaled: journaled.stateHash, replayed: replayed.stateHash)
        }
        return result
    }
}
