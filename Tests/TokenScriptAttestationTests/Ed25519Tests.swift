import Crypto
import Testing
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptEthereum

@Suite("Ed25519")
struct Ed25519Tests {
    /// RFC 8032 section 7.1, tests 1 and 2: (secret key, public key, message, signature).
    static let rfc8032: [(String, String, String, String)] = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
    ]

    @Test("swift-crypto's Ed25519 meets the RFC 8032 test vectors", arguments: rfc8032)
    func rfc8032Vector(secret: String, publicKey: String, message: String, signature: String) throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: Hex.decode(secret)!)
        #expect(Hex.encode(key.publicKey.rawRepresentation, prefix: false) == publicKey)
        #expect(key.publicKey.isValidSignature(Hex.decode(signature)!, for: Hex.decode(message)!))
        #if os(Linux)
            #expect(Hex.encode(try key.signature(for: Hex.decode(message)!), prefix: false) == signature)
        #endif
    }

    @Test("an attestation signed in Swift with a fixed seed is accepted")
    func signedInSwift() {
        let result = AttestationVerifier.verify(
            Fixture.signed(), trust: Fixture.trust(), now: Fixture.issuedAt + 60, seen: SeenAttestations())
        #expect((try? result.get()) != nil)
    }

    @Test(
        "altering any signed field after signing makes the signature fail",
        arguments: [
            "id", "topic", "type", "issuedAt", "expiresAt", "payload",
        ])
    func tamperedField(_ field: String) {
        var attestation = Fixture.signed()
        switch field {
        case "id": attestation.id += "x"
        case "topic": attestation.topic += "x"
        case "type": attestation.type += "x"
        case "issuedAt": attestation.issuedAt -= 1
        case "expiresAt": attestation.expiresAt! += 1
        default: attestation.payload = ["flight": "LH400", "delayMinutes": 15]
        }
        let result = AttestationVerifier.verify(
            attestation, trust: Fixture.trust(["*"]), now: Fixture.issuedAt + 60, seen: SeenAttestations())
        #expect(result.rejection?.reason == .badSignature)
    }

    @Test("a stranger's signature under the participant's name is a bad signature")
    func wrongKey() {
        var attestation = Fixture.signed(by: Fixture.stranger)
        attestation.issuer = Fixture.participant.issuer
        let result = AttestationVerifier.verify(
            attestation, trust: Fixture.trust(), now: Fixture.issuedAt + 60, seen: SeenAttestations())
        #expect(result.rejection?.reason == .badSignature)
    }
}

extension Result where Failure == AttestationRejection {
    var rejection: AttestationRejection? {
        if case .failure(let rejection) = self { rejection } else { nil }
    }
}
