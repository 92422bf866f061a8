import TokenScriptAttestation

/// The network's list of created instances, topic `instances`: one notice per creation naming the instance,
/// so every node finds the instances placed on it by reading one topic from a position.
enum CreationNotice {
    static let topic = "instances"
    static let type = "created"

    static func attestation(instance: String, issuer: Issuer, issuedAt: UInt64) -> Attestation {
        Attestation(
            id: "created-" + instance, topic: topic, type: type, issuer: issuer, issuedAt: issuedAt,
            payload: .object(["instance": .string(instance)]))
    }

    static func instance(of attestation: Attestation) -> String? {
        guard attestation.type == type else { return nil }
        return attestation.payload["instance"]?.stringValue
    }
}
