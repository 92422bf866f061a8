import TokenScriptAttestation

/// The read-grant wire reader and verifier, which a node runs on every integrator's read: any text is read or
/// refused with an error, what it reads it writes back as a line that reads to the same grant, and verifying it
/// answers with a grant or a refusal (never a trap).
enum ReadGrantFuzzing {
    static let request = ReadGrantRequest(
        instance: "ticket-LH2024-12A", interface: "flightStatus",
        currentHolder: GrantHolder("0x94622cC2A5b64a58C25A129d48a2bEEC4b65b779")!, now: 1_790_000_100)

    static func run(_ bytes: [UInt8]) {
        let text = FuzzTarget.text(bytes)
        _ = ReadGrantVerifier.verify(json: text, for: request)
        guard let grant = try? ReadGrant(json: text) else { return }
        let written = grant.json
        precondition(
            (try? ReadGrant(json: written)) == grant, "a grant does not read back its own wire form: \(written)")
    }
}
