import Foundation
import Testing
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptModel
import TokenScriptTesting

/// A grant whose signed fields were changed after signing never lets a read through, and neither does a grant
/// passed off as an attestation or an attestation passed off as a grant.
@Suite("Read grants: tampering and replay across kinds")
struct ReadGrantTamperingTests {
    typealias F = ReadGrantFixture

    @Test(
        "each signed field changed on the wire is refused as a forgery",
        arguments: [
            (#""grantee":"car-rental.example""#, #""grantee":"evil.example""#),
            (#""instance":"ticket-LH2024-12A""#, #""instance":"ticket-LH2024-12B""#),
            (#""interfaces":["flightStatus"]"#, #""interfaces":["*"]"#),
            (#""interfaces":["flightStatus"]"#, #""interfaces":["flightStatus","bookingDetails"]"#),
            (#""issuedAt":1790000000"#, #""issuedAt":1789999999"#),
            (#""expiresAt":1790086400"#, #""expiresAt":1799999999"#),
        ] as [(String, String)])
    func tamperedField(original: String, replacement: String) throws {
        for scheme in F.schemes {
            let wire = try F.signed(scheme).json
            #expect(wire.contains(original), "\(scheme): \(wire)")
            let tampered = try ReadGrant(json: wire.replacingFirst(original, with: replacement))
            var request = F.request(scheme)
            request.instance = tampered.instance
            request.interface = tampered.interfaces.last ?? ""
            let refusal = try #require(ReadGrantVerifier.verify(tampered, for: request).refusal, "\(scheme)")
            #expect(refusal.code == (scheme == "ed25519" ? "bad-signature" : "wrong-signer"), "\(scheme): \(refusal)")
        }
    }

    @Test("a grant re-labelled from eip191 to eip712 (or back) no longer verifies")
    func schemeSwap() throws {
        for (from, to) in [("eip191", "eip712"), ("eip712", "eip191")] {
            var grant = try F.signed(from)
            grant.holder = to == "eip712" ? .eip712(F.holderEthereum.address) : .eip191(F.holderEthereum.address)
            let refusal = try #require(ReadGrantVerifier.verify(grant, for: F.request(to)).refusal)
            #expect(refusal.code == "wrong-signer", "\(from) → \(to): \(refusal)")
        }
    }

    @Test("the high-s twin of a valid ECDSA grant signature is refused", arguments: ["eip191", "eip712"])
    func highS(scheme: String) throws {
        var grant = try F.signed(scheme)
        grant.signature = Self.highSTwin(grant.signature)
        #expect(ReadGrantVerifier.verify(grant, for: F.request(scheme)).refusal?.code == "high-s")
    }

    @Test("a grant is not an attestation: its wire form is refused and its signature verifies for no attestation")
    func grantAsAttestation() throws {
        for scheme in F.schemes {
            let grant = try F.signed(scheme)
            #expect(throws: AttestationDecodingError.self) { try Attestation(json: grant.json) }
            // The same signer, the same signature, on an attestation: the prefixes (or EIP-712 types) differ.
            let attestation = Attestation(
                id: "grant-replay", topic: "read-grant/\(grant.instance)", type: "grant", issuer: grant.holder,
                issuedAt: grant.issuedAt, expiresAt: grant.expiresAt, payload: grant.content, signature: grant.signature
            )
            let trust = TrustConfiguration(grants: [
                .init(issuer: grant.holder, topics: [.init(wellFormed: "read-grant/*")!])
            ])
            let result = AttestationVerifier.verify(
                attestation, trust: trust, now: grant.issuedAt, seen: SeenAttestations())
            let code = result.rejection?.reason.code
            #expect(
                code == (scheme == "ed25519" ? "bad-signature" : "wrong-signer"),
                "\(scheme): \(String(describing: code))")
        }
    }

    @Test("an attestation is not a grant: its wire form is refused and its signature verifies for no grant")
    func attestationAsGrant() throws {
        let grantShape = F.unsigned()
        let claim = Attestation(
            id: "a-1", topic: "flight-status/LH2024", type: "delay", issuer: F.holderEd25519.issuer,
            issuedAt: F.issuedAt, expiresAt: F.expiresAt, payload: grantShape.content)
        let signedAttestations = [
            ("ed25519", try F.holderEd25519.sign(claim)),
            ("eip191", try F.holderEthereum.sign(claim, scheme: .eip191)),
            ("eip712", try F.holderEthereum.sign(claim, scheme: .eip712)),
        ]
        for (scheme, attestation) in signedAttestations {
            let refusal = ReadGrantVerifier.verify(json: attestation.json, for: F.request(scheme)).refusal
            #expect(refusal?.code == "malformed", "\(scheme)")
            var grant = try F.signed(scheme)
            grant.signature = attestation.signature
            let forged = try #require(ReadGrantVerifier.verify(grant, for: F.request(scheme)).refusal)
            #expect(forged.code == (scheme == "ed25519" ? "bad-signature" : "wrong-signer"), "\(scheme): \(forged)")
        }
        #expect(ReadGrant.signingPrefix != Attestation.signingPrefix)
    }

    /// `(r, n − s, v ^ 1)`: the same signature's malleable twin.
    static func highSTwin(_ signature: [UInt8]) -> [UInt8] {
        let order = Hex.decode("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")!
        var twin = signature
        var borrow = 0
        for index in (0..<32).reversed() {
            let difference = Int(order[index]) - Int(signature[32 + index]) - borrow
            twin[32 + index] = UInt8((difference + 256) % 256)
            borrow = difference < 0 ? 1 : 0
        }
        twin[64] = signature[64] == 27 ? 28 : signature[64] == 28 ? 27 : signature[64] ^ 1
        return twin
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
