import TokenScriptAttestation
import TokenScriptModel

/// A fixed claim and fixed keys for tests that build attestations in Swift.
enum Fixture {
    static let issuedAt: UInt64 = 1_795_305_600  // 2026-11-22T00:00:00Z
    static let participantSeed: [UInt8] = Array(0..<32)
    static let strangerSeed: [UInt8] = Array(repeating: 7, count: 32)

    static var participant: Ed25519AttestationSigner { try! Ed25519AttestationSigner(seed: participantSeed) }
    static var stranger: Ed25519AttestationSigner { try! Ed25519AttestationSigner(seed: strangerSeed) }

    static func claim(
        id: String = "participant-1/delay/1", topic: String = "flight-status/LH400/2026-11-22",
        expiresAt: UInt64? = issuedAt + 86_400, payload: AttestationValue = ["flight": "LH400", "delayMinutes": 90]
    ) -> Attestation {
        Attestation(
            id: id, topic: topic, type: "delay", issuer: participant.issuer, issuedAt: issuedAt,
            expiresAt: expiresAt, payload: payload)
    }

    static func signed(_ attestation: Attestation = claim(), by signer: Ed25519AttestationSigner = participant)
        -> Attestation
    {
        try! signer.sign(attestation)
    }

    static func trust(_ patterns: [String] = ["flight-status/LH400/*"], clockSkew: UInt64 = 300)
        -> TrustConfiguration
    {
        TrustConfiguration(
            grants: [.init(issuer: participant.issuer, topics: patterns.map { TopicPattern(wellFormed: $0)! })],
            clockSkew: clockSkew)
    }
}
