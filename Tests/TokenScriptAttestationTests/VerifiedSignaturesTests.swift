import Testing
import TokenScriptAttestation

/// `VerifiedSignatures`: a signature checked good is not checked again, and only for the very bytes it signed.
@Suite("Verified signatures")
struct VerifiedSignaturesTests {
    static func verify(_ attestation: Attestation, _ signatures: VerifiedSignatures) -> AttestationRejection.Reason? {
        switch AttestationVerifier.verify(
            attestation, trust: Fixture.trust(), now: Fixture.issuedAt + 60, seen: SeenAttestations(),
            signatures: signatures)
        {
        case .success: nil
        case .failure(let rejection): rejection.reason
        }
    }

    @Test("a good signature is kept; the same signature over altered content is still refused, and not kept")
    func keptOnlyForItsBytes() {
        let signatures = VerifiedSignatures()
        let good = Fixture.signed()
        #expect(Self.verify(good, signatures) == nil)
        #expect(signatures.count == 1)
        #expect(Self.verify(good, signatures) == nil)
        #expect(signatures.count == 1)
        var altered = good
        altered.payload = ["flight": "LH400", "delayMinutes": 91]
        #expect(Self.verify(altered, signatures) == .badSignature)
        var forged = good
        forged.signature[0] ^= 1
        #expect(Self.verify(forged, signatures) == .badSignature)
        #expect(signatures.count == 1, "bad signatures are never kept")
    }

    @Test("past capacity the oldest is dropped and checked again when it comes back")
    func capacity() {
        let signatures = VerifiedSignatures(capacity: 2)
        let claims = (1...3).map { Fixture.signed(Fixture.claim(id: "participant-1/delay/\($0)")) }
        for claim in claims { #expect(Self.verify(claim, signatures) == nil) }
        #expect(signatures.count == 2)
        #expect(Self.verify(claims[0], signatures) == nil)
        #expect(signatures.count == 2)
    }
}
