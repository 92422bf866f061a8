import TokenScriptRuntime

/// How a re-run step is judged against the journaled one: outcome, events, effects, every snapshot field
/// and the state hash.
enum ReplayComparison {
    /// Field-by-field differences between a journaled step and its re-run. The instance is compared
    /// per field (`state`, `step`, `attributes.<name>`, `topicPositions.<topic>`) so the report says *what*
    /// diverged; the hash is compared too, so a difference the paths miss is still caught.
    static func differences(
        journaled: JournalEntry, replayed: JournalEntry
    ) -> [String: NonDeterminismError.Difference] {
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
