import TokenScriptAttestation

/// The log record of an instance's creation, `instance/<id>` position 1, signed by the creating node: which
/// script, which holder. A restarted node (or another host of the instance) reads the holder from it.
struct InstanceCreation: Sendable, Hashable {
    static let type = "create"
    var script: String
    var scriptHash: String
    var holder: String

    static func topic(of instance: String) -> String { "instance/" + instance }

    func attestation(instance: String, issuer: Issuer, issuedAt: UInt64) -> Attestation {
        Attestation(
            id: "create-" + instance, topic: Self.topic(of: instance), type: Self.type, issuer: issuer,
            issuedAt: issuedAt,
            payload: .object([
                "script": .string(script), "scriptHash": .string(scriptHash), "holder": .string(holder),
            ]))
    }

    init?(_ attestation: Attestation) {
        guard attestation.type == Self.type, let script = attestation.payload["script"]?.stringValue,
            let scriptHash = attestation.payload["scriptHash"]?.stringValue,
            let holder = attestation.payload["holder"]?.stringValue
        else { return nil }
        self.init(script: script, scriptHash: scriptHash, holder: holder)
    }

    init(script: String, scriptHash: String, holder: String) {
        self.script = script
        self.scriptHash = scriptHash
        self.holder = holder
    }
}
