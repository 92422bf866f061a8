import TokenScriptAttestation
import TokenScriptJSON

/// The network's record that an expired instance was retired, topic `retired/<instance>`: appended once by the
/// instance's executor under its lease (the anchor takes `retired/<id>` only fenced by a lease of that instance),
/// with the last step and state hash. Every host retires the instance when its own retention has passed and the
/// record is there, and no node adopts the instance again.
enum RetirementRecord {
    static let type = "retire"
    static let topicPrefix = "retired/"

    static func topic(of instance: String) -> String { topicPrefix + instance }

    static func attestation(instance: String, step: UInt64, stateHash: String, issuer: Issuer, issuedAt: UInt64)
        -> Attestation
    {
        Attestation(
            id: "retire-" + instance, topic: topic(of: instance), type: type, issuer: issuer, issuedAt: issuedAt,
            payload: .object(["step": .integer(Int64(clamping: step)), "stateHash": .string(stateHash)]))
    }
}
