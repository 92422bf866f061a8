import TokenScriptRuntime

/// One token's server-side state: which state it is in, its stored attributes, how far each attestation
/// topic has got, and how many events it has applied.
///
/// A plain value: the engine computes the next instance from the previous one and never mutates in place,
/// so a failed transition simply keeps the old value.
public struct TokenInstance: Sendable, Hashable {
    /// Which logic drives it (`TokenDefinition.id`). Not part of `stateHash`: see there.
    public var definitionID: String
    public var id: String
    public var state: String
    /// Stored server attributes in their typed form (see `AttributeTyping`); absent ones are left out.
    public var attributes: [String: SandboxValue]
    /// Per attestation topic, the `issuedAt` of the latest attestation applied on it. Kept so that later
    /// parts (ordering, anchoring) can tell how far each stream has been consumed; the engine does not yet
    /// refuse older attestations.
    public var topicPositions: [String: UInt64]
    /// Accepted events applied so far (with or without a matching trigger). Seeds the next transition.
    public var step: UInt64

    public init(
        definitionID: String, id: String, state: String, attributes: [String: SandboxValue] = [:],
        topicPositions: [String: UInt64] = [:], step: UInt64 = 0
    ) {
        self.definitionID = definitionID
        self.id = id
        self.state = state
        self.attributes = attributes
        self.topicPositions = topicPositions
        self.step = step
    }

    /// The hashed state as one value: `{"attributes", "id", "state", "step", "topicPositions"}`.
    ///
    /// The definition id is deliberately outside: replaying a journal against an edited definition must
    /// diverge at the first step whose *result* differs (and name the fields), not at step 0 because an
    /// id changed. The journal header records the definition id separately.
    public var canonicalValue: SandboxValue {
        .object([
            "id": .string(id),
            "state": .string(state),
            "attributes": .object(attributes),
            "topicPositions": .object(topicPositions.mapValues { .int(Int64(bitPattern: $0)) }),
            "step": .int(Int64(bitPattern: step)),
        ])
    }

    /// Canonical JSON of `canonicalValue`: keys sorted bytewise, no whitespace.
    public var canonicalJSON: String { canonicalValue.jsonText }

    /// SHA-256 (lower-case hex) of `canonicalJSON`: what replicas and replay compare.
    public var stateHash: String { CanonicalHash.sha256Hex(canonicalJSON) }

    /// Rebuilds an instance from `canonicalValue` (as journaled), for tools that show a step's state.
    public init?(canonicalValue value: SandboxValue, definitionID: String) {
        guard let members = value.objectMembers, case .string(let id)? = members["id"],
            case .string(let state)? = members["state"], let attributes = members["attributes"]?.objectMembers,
            let positions = members["topicPositions"]?.objectMembers, case .int(let step)? = members["step"]
        else { return nil }
        var topicPositions: [String: UInt64] = [:]
        for (topic, position) in positions {
            guard case .int(let number) = position, number >= 0 else { return nil }
            topicPositions[topic.string] = UInt64(number)
        }
        guard let attributes = attributes.textKeyed, topicPositions.count == positions.count else { return nil }
        self.init(
            definitionID: definitionID, id: id, state: state, attributes: attributes, topicPositions: topicPositions,
            step: UInt64(max(step, 0)))
    }
}
