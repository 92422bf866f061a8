import Testing
import TokenScriptAttestation
import TokenScriptEthereum
import TokenScriptModel

@Suite("Verifier: time, history and trust")
struct VerifierTests {
    static let issuedAt = Fixture.issuedAt

    @Test(
        "validity window against an injected now",
        arguments: [
            (issuedAt - 301, "not-yet-valid"),  // more than the 300 s clock skew early
            (issuedAt - 300, "accepted"),
            (issuedAt, "accepted"),
            (issuedAt + 86_399, "accepted"),
            (issuedAt + 86_400, "expired"),  // expiresAt itself is already too late
            (issuedAt + 1_000_000, "expired"),
        ])
    func window(now: UInt64, expected: String) {
        let result = AttestationVerifier.verify(
            Fixture.signed(), trust: Fixture.trust(), now: now, seen: SeenAttestations())
        #expect((result.rejection?.reason.code ?? "accepted") == expected)
        if case .expired(let at) = result.rejection?.reason { #expect(at == Self.issuedAt + 86_400) }
    }

    @Test("an attestation without expiry never expires")
    func noExpiry() {
        let attestation = Fixture.signed(Fixture.claim(expiresAt: nil))
        let result = AttestationVerifier.verify(
            attestation, trust: Fixture.trust(), now: UInt64(1) << 40, seen: SeenAttestations())
        #expect(result.rejection == nil)
    }

    @Test("the same id with the same content is a duplicate (ignored), with other content a replay (rejected)")
    func duplicateAndReplay() throws {
        var seen = SeenAttestations()
        let first = try AttestationVerifier.verify(
            Fixture.signed(), trust: Fixture.trust(), now: Self.issuedAt, seen: seen
        ).get()
        seen.record(first)

        let again = AttestationVerifier.verify(Fixture.signed(), trust: Fixture.trust(), now: Self.issuedAt, seen: seen)
        #expect(again.rejection?.reason == .duplicate(id: first.attestation.id))
        #expect(again.rejection?.isIgnorable == true)

        let other = Fixture.signed(Fixture.claim(payload: ["flight": "LH400", "delayMinutes": 240]))
        let replay = AttestationVerifier.verify(other, trust: Fixture.trust(), now: Self.issuedAt, seen: seen)
        #expect(replay.rejection?.reason == .replayed(id: first.attestation.id))
        #expect(replay.rejection?.isIgnorable == false)

        let fresh = Fixture.signed(Fixture.claim(id: "participant-1/delay/2"))
        #expect(
            AttestationVerifier.verify(fresh, trust: Fixture.trust(), now: Self.issuedAt, seen: seen).rejection == nil)
    }

    @Test("a late redelivery of an accepted attestation is a duplicate, not an expiry")
    func lateDuplicate() throws {
        var seen = SeenAttestations()
        seen.record(
            try AttestationVerifier.verify(
                Fixture.signed(), trust: Fixture.trust(), now: Self.issuedAt, seen: seen
            ).get())
        let late = AttestationVerifier.verify(
            Fixture.signed(), trust: Fixture.trust(), now: Self.issuedAt + 10_000_000, seen: seen)
        #expect(late.rejection?.isIgnorable == true)
    }

    @Test("an issuer trusted for other topics is untrusted here")
    func untrustedTopic() {
        let attestation = Fixture.signed(Fixture.claim(topic: "flight-status/BA117/2026-11-22"))
        let result = AttestationVerifier.verify(
            attestation, trust: Fixture.trust(), now: Self.issuedAt, seen: SeenAttestations())
        #expect(result.rejection?.reason == .untrustedIssuer(topic: "flight-status/BA117/2026-11-22"))
    }

    @Test("a validly signed attestation by an issuer not in the configuration is untrusted")
    func unknownIssuer() {
        let attestation = Fixture.signed(by: Fixture.stranger)
        let result = AttestationVerifier.verify(
            attestation, trust: Fixture.trust(), now: Self.issuedAt, seen: SeenAttestations())
        #expect(result.rejection?.reason == .untrustedIssuer(topic: attestation.topic))
        #expect(result.rejection?.message.contains("not trusted") == true)
    }

    @Test("trust is per scheme: an address trusted for eip712 is not trusted for eip191")
    func trustIsPerScheme() throws {
        let vector = try #require(AttestationVector.all.first { $0.name == "eip191 valid" })
        let attestation = try Attestation(json: vector.wire)
        let address = try #require(attestation.issuer.ethereumAddress)
        let trust = TrustConfiguration(
            grants: [.init(issuer: .eip712(address), topics: [TopicPattern(wellFormed: "*")!])])
        let result = AttestationVerifier.verify(
            attestation, trust: trust, now: AttestationVectors.now, seen: SeenAttestations())
        #expect(result.rejection?.reason.code == "untrusted-issuer")
    }

    @Test(
        "a hand-built attestation with an impossible field is malformed, naming it",
        arguments: [
            "topic", "expiresAt", "payload.big", "signature", "eas",
        ])
    func malformedValue(_ field: String) {
        var attestation = Fixture.signed()
        switch field {
        case "topic": attestation.topic = "flight-status/*"
        case "expiresAt": attestation.expiresAt = attestation.issuedAt
        case "payload.big": attestation.payload = ["big": .integer(1 << 53)]
        case "signature": attestation.signature.removeLast()
        default: attestation.issuer = .eas(EthereumAddress.zero)
        }
        let result = AttestationVerifier.verify(
            attestation, trust: Fixture.trust(["*"]), now: Self.issuedAt, seen: SeenAttestations())
        #expect(result.rejection?.reason == .malformed(field: field))
    }
}
