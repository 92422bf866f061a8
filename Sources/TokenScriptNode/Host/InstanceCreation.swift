import TokenScriptAttestation
import TokenScriptJSON

/// The log record of an instance's creation, `instance/<id>` position 1, signed by the creating node: which
/// script, which holder, and the initial instance (canonical JSON), so another host of the instance starts from
/// the same value. A restarted node (or another host) reads the holder from it.
struct InstanceCreation: Sendable, Hashable {
    static let type = "create"
    var script: String
    var scriptHash: String
    var holder: String
    /// `TokenInstance.canonicalJSON` of the new instance; nil in records written before networks.
    var initial: String?

    static func topic(of instance: String) -> String { "instance/" + instance }

    func attestation(instance: String, issuer: Issuer, issuedAt: UInt64) -> Attestation {
        var payload: [JSONKey: AttestationValue] = [
            "script": .string(script), "scriptHash": .string(scriptHash), "holder": .string(holder),
        ]
        if let initial { payload["initial"] = .string(initial) }
        return Attestation(
            id: "create-" + instance, topic: Self.topic(of: instance), type: Self.type, issuer: issuer,
            issuedAt: issuedAt, payload: .object(payload))
    }

    init?(_ attestation: Attestation) {
        guard attestation.type == Self.type, let script = attestation.payload["script"]?.stringValue,
            let scriptHash = attestation.payload["scriptHash"]?.stringValue,
            let holder = attestation.payload["holder"]?.stringValue
        else { return nil }
        self.init(
            script: script, scriptHash: scriptHash, holder: holder,
            initial: attestation.payload["initial"]?.stringValue)
    }

    init(script: String, scriptHash: String, holder: String, initial: String? = nil) {
        self.script = script
        self.scriptHash = scriptHash
        self.holder = holder
        self.initial = initial
    }
}
