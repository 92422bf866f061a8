import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptJSON
import TokenScriptModel
import TokenScriptRuntime

/// The change attestations a followed instance's executor publishes (`sl:follow`): one per applied step that
/// changed the instance's state or stored attributes, so a follower replays from the log like every other input.
///
/// - topic `changes/<instance id>`, type `change`;
/// - id derived from (instance, sequence): a second executor publishing the same step (a takeover) names the
///   same attestation, and the log keeps the first;
/// - payload `{instance, token, sequence, state, previousState?, attributes}`: `attributes` holds the stored
///   attributes after the step (the values Lua sees), `previousState` the state before it, absent when not known.
public enum ChangeAttestations {
    /// The unsigned change of `instance` at journal `sequence` of token `token`, issued at `time` by `issuer`.
    public static func change(
        of instance: TokenInstance, token: String, sequence: UInt64, previousState: String?, time: UInt64,
        issuer: Issuer
    ) -> Attestation {
        var attributes: [JSONKey: AttestationValue] = [:]
        for (name, value) in instance.attributes {
            attributes[JSONKey(name)] = OutcomeAttestations.attestationValue(value)
        }
        var payload: [JSONKey: AttestationValue] = [
            "instance": .string(instance.id), "token": .string(token),
            "sequence": .integer(Int64(clamping: sequence)), "state": .string(instance.state),
            "attributes": .object(attributes),
        ]
        if let previousState { payload["previousState"] = .string(previousState) }
        return Attestation(
            id: id(instance: instance.id, sequence: sequence), topic: topic(of: instance.id),
            type: FollowedToken.changeType, issuer: issuer, issuedAt: time, payload: .object(payload))
    }

    /// Whether the step from `previous` to `next` is a change a follower sees: its state or a stored attribute.
    public static func isChange(from previous: TokenInstance, to next: TokenInstance) -> Bool {
        previous.state != next.state || previous.attributes != next.attributes
    }

    /// The prefix of every change topic: `changes/`.
    public static let topicPrefix = FollowedToken.topicPrefix

    /// The topic `instance`'s changes are published on.
    public static func topic(of instance: String) -> String { topicPrefix + instance }

    /// Whether `topic` is one changes are published on (compared as bytes).
    public static func isChangeTopic(_ topic: String) -> Bool {
        Array(topic.utf8).starts(with: Array(topicPrefix.utf8))
    }

    static func id(instance: String, sequence: UInt64) -> String {
        "change-" + CanonicalHash.sha256Hex("\(instance)\n\(sequence)")
    }

    /// What a logged change says: its sequence, state and attributes; nil for anything else.
    public static func published(_ attestation: Attestation) -> Published? {
        guard attestation.type == FollowedToken.changeType,
            let sequence = attestation.payload["sequence"]?.integerValue, sequence >= 0,
            let state = attestation.payload["state"]?.stringValue,
            let members = attestation.payload["attributes"].map(SandboxValue.init)?.objectMembers,
            let attributes = members.textKeyed
        else { return nil }
        return Published(sequence: UInt64(sequence), state: state, attributes: attributes)
    }

    /// The last change a topic holds, as far as a publisher compares it with the instance.
    public struct Published: Sendable, Hashable {
        public var sequence: UInt64
        public var state: String
        public var attributes: [String: SandboxValue]

        public init(sequence: UInt64, state: String, attributes: [String: SandboxValue]) {
            self.sequence = sequence
            self.state = state
            self.attributes = attributes
        }

        /// Whether `instance` differs from what was published (its state or stored attributes).
        public func differs(from instance: TokenInstance) -> Bool {
            state != instance.state
                || attributes.mapValues(OutcomeAttestations.attestationValue)
                    != instance.attributes.mapValues(OutcomeAttestations.attestationValue)
        }
    }
}
