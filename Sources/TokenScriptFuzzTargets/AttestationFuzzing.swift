import TokenScriptAttestation

/// The attestation wire reader: any line is read or refused with an error, and what it reads, it writes back
/// as a line that reads to the same attestation.
enum AttestationFuzzing {
    static func run(_ bytes: [UInt8]) {
        guard let attestation = try? Attestation(json: FuzzTarget.text(bytes)) else { return }
        let written = attestation.json
        precondition(
            (try? Attestation(json: written)) == attestation,
            "an attestation does not read back its own wire form: \(written)")
    }
}
