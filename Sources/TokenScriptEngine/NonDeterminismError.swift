/// Replay produced a different step than the journal holds: the transition logic is not a function of
/// its journaled inputs (or was changed since). Distinct from every other replay error, as in Temporal:
/// this one means "the code and the history disagree", never "the journal is unreadable".
public struct NonDeterminismError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A field's canonical JSON in the journal and on replay; `absent` when one side lacks it.
    public struct Difference: Sendable, Hashable {
        public var journaled: String
        public var replayed: String

        public init(journaled: String, replayed: String) {
            self.journaled = journaled
            self.replayed = replayed
        }
    }

    /// The journal sequence number of the diverging step (0: the initial state already differs).
    public var sequence: UInt64
    /// The attestation id delivered at that step.
    public var attestationID: String
    /// The trigger the journal says fired (or, if none did, the one that fired on replay; nil if neither).
    public var trigger: String?
    /// Paths such as `state`, `attributes.delayMinutes`, `step`, `events`, `outcome`.
    public var differingFields: [String: Difference]

    public var description: String {
        let fields = differingFields.keys.sorted().map { path in
            let difference = differingFields[path]!
            return "\(path): journaled \(difference.journaled), replayed \(difference.replayed)"
        }
        return "non-determinism at step \(sequence) (attestation \(attestationID), trigger \(trigger ?? "none")): "
            + fields.joined(separator: "; ")
    }
}
