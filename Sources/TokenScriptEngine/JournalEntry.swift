import TokenScriptJSON
import TokenScriptAttestation
import TokenScriptRuntime

/// One step of an instance's journal: the attestation delivered, what it came to, and the resulting state.
///
/// Everything replay needs to re-run the step (the attestation and the `now` it was verified at) and
/// everything it needs to judge the re-run (outcome, events, effects, state hash, and the resulting
/// instance's canonical value so that a divergence can name the fields that differ).
public struct JournalEntry: Sendable, Hashable {
    /// How the step ended, as journaled. Reasons are kept by their stable `code` plus the message.
    public enum Outcome: Sendable, Hashable, CustomStringConvertible {
        case applied(trigger: String)
        case unmatched
        case failed(trigger: String, message: String)
        case ignored(code: String, message: String)
        case rejected(code: String, message: String)

        public init(_ disposition: StepOutcome.Disposition) {
            switch disposition {
            case .applied(let trigger): self = .applied(trigger: trigger)
            case .unmatched: self = .unmatched
            case .failed(let trigger, let message): self = .failed(trigger: trigger, message: message)
            case .ignored(let rejection): self = .ignored(code: rejection.reason.code, message: rejection.message)
            case .rejected(let rejection): self = .rejected(code: rejection.reason.code, message: rejection.message)
            }
        }

        public var kind: String {
            switch self {
            case .applied: "applied"
            case .unmatched: "unmatched"
            case .failed: "failed"
            case .ignored: "ignored"
            case .rejected: "rejected"
            }
        }

        public var trigger: String? {
            switch self {
            case .applied(let trigger), .failed(let trigger, _): trigger
            default: nil
            }
        }

        /// The attestation was consumed (it is part of the instance's history).
        public var consumed: Bool {
            switch self {
            case .applied, .unmatched, .failed: true
            case .ignored, .rejected: false
            }
        }

        /// `applied lounge-access`, `rejected: expired (…)`.
        public var description: String {
            switch self {
            case .applied(let trigger): "applied \(trigger)"
            case .unmatched: "unmatched"
            case .failed(let trigger, let message): "failed \(trigger): \(message)"
            case .ignored(let code, _): "ignored: \(code)"
            case .rejected(let code, let message): "rejected: \(code) (\(message))"
            }
        }
    }

    /// 1-based position in the journal; every delivery gets one, whatever its outcome.
    public var sequence: UInt64
    /// The receiving node's clock (Unix seconds) the attestation was verified at.
    public var receivedAt: UInt64
    public var attestation: Attestation
    public var outcome: Outcome
    public var events: [EmittedEvent]
    public var effects: [EffectRequest]
    /// `TokenInstance.stateHash` after the step.
    public var stateHash: String
    /// `TokenInstance.canonicalValue` after the step.
    public var instance: SandboxValue

    public init(
        sequence: UInt64, receivedAt: UInt64, attestation: Attestation, outcome: Outcome, events: [EmittedEvent],
        effects: [EffectRequest], stateHash: String, instance: SandboxValue
    ) {
        self.sequence = sequence
        self.receivedAt = receivedAt
        self.attestation = attestation
        self.outcome = outcome
        self.events = events
        self.effects = effects
        self.stateHash = stateHash
        self.instance = instance
    }

    /// The entry a step produced.
    public init(sequence: UInt64, receivedAt: UInt64, attestation: Attestation, step: StepOutcome) {
        self.init(
            sequence: sequence, receivedAt: receivedAt, attestation: attestation, outcome: Outcome(step.disposition),
            events: step.events, effects: step.effects, stateHash: step.instance.stateHash,
            instance: step.instance.canonicalValue)
    }

    /// The entry's members as JSON (one journal line before sealing), built with byte-exact keys.
    ///
    /// The attestation is kept as its wire JSON *string*, not as a nested object: it then comes back byte for
    /// byte through the attestation module's own strict reader, whatever JSON reader handles the line.
    var lineMembers: [JSONKey: JSONValue] {
        var members: [JSONKey: JSONValue] = [
            // Sequence numbers count entries; acceptance times are clamped to the attestation range when accepted.
            "sequence": .integer(Int64(clamping: sequence)),
            "receivedAt": .integer(Int64(clamping: receivedAt)),
            "attestation": .string(attestation.json),
            "outcome": .string(outcome.kind),
            "events": JournalJSON.json(.array(events.map(\.canonicalValue))),
            "effects": JournalJSON.json(.array(effects.map(\.canonicalValue))),
            "stateHash": .string(stateHash),
            "instance": JournalJSON.json(instance),
        ]
        switch outcome {
        case .applied(let trigger): members["trigger"] = .string(trigger)
        case .unmatched: break
        case .failed(let trigger, let message):
            members["trigger"] = .string(trigger)
            members["message"] = .string(message)
        case .ignored(let code, let message), .rejected(let code, let message):
            members["reason"] = .string(code)
            members["message"] = .string(message)
        }
        return members
    }
}
