import Testing
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptEthereum

@Suite("Canonical encoding")
struct CanonicalEncodingTests {
    @Test("a fixed attestation has these exact signing bytes")
    func goldenSigningBytes() {
        let attestation = Attestation(
            id: "a-1", topic: "flight-status/LH400/2026-11-22", type: "delay",
            issuer: .ed25519(publicKey: Array(repeating: 0xAB, count: 32)), issuedAt: 1_795_305_600,
            expiresAt: 1_795_392_000, payload: ["delayMinutes": 90, "flight": "LH400", "gate": nil, "ok": false])
        let expected =
            "swift-tokenscript attestation v1\n"
            + #"{"expiresAt":1795392000,"id":"a-1","issuedAt":1795305600,"#
            + #""issuer":{"key":"0x\#(String(repeating: "ab", count: 32))","scheme":"ed25519"},"#
            + #""payload":{"delayMinutes":90,"flight":"LH400","gate":null,"ok":false},"#
            + #""topic":"flight-status/LH400/2026-11-22","type":"delay"}"#
        #expect(String(decoding: attestation.signingBytes, as: UTF8.self) == expected)
        #expect(
            Hex.encode(attestation.contentDigest, prefix: false)
                == "9dc21944c35f0b8d06bb0ee200bd1c5993f4ee86eec162468882f1a3b9244a16")  // sha256sum of the text
    }

    @Test(
        "canonical JSON of each value",
        arguments: [
            (AttestationValue.object(["b": 1, "a": 2, "A": 3]), #"{"A":3,"a":2,"b":1}"#),
            // JCS orders by UTF-16 code units: U+1F600 (D83D …) sorts before U+FF5E, unlike by code point.
            (.object(["\u{FF5E}": 1, "\u{1F600}": 2, "é": 3, "z": 4]), #"{"z":4,"é":3,"😀":2,"～":1}"#),
            (
                .string("quote \" backslash \\ newline \n tab \t nul \u{0} del \u{7F} ü"),
                #""quote \" backslash \\ newline \n tab \t nul \u0000 del \#u{7F} ü""#
            ),
            (
                .array([.integer(-9_007_199_254_740_991), .integer(0), .bool(true), .null, .array([])]),
                "[-9007199254740991,0,true,null,[]]"
            ),
            (.object([:]), "{}"),
        ])
    func canonicalJSON(value: AttestationValue, expected: String) {
        #expect(CanonicalJSON.string(value) == expected)
    }

    @Test("the wire form reads back to the same attestation and is itself canonical")
    func wireRoundTrip() throws {
        let attestation = Fixture.signed(Fixture.claim(payload: ["ünïcödé": "✈️", "legs": [1, 2], "n": nil]))
        let again = try Attestation(json: attestation.json)
        #expect(again == attestation)
        #expect(again.json == attestation.json)
    }

    @Test("whitespace and key order on the wire do not change the signing bytes")
    func wireIsNormalised() throws {
        let attestation = Fixture.signed()
        let reordered = """
            { "signature": "\(Hex.encode(attestation.signature))", "type": "delay",
              "payload": { "flight": "LH400", "delayMinutes": 90 },
              "issuer": { "key": "\(attestation.issuer.key)", "scheme": "ed25519" },
              "issuedAt": \(attestation.issuedAt), "expiresAt": \(attestation.expiresAt!),
              "topic": "\(attestation.topic)", "id": "\(attestation.id)" }
            """
        #expect(try Attestation(json: reordered).signingBytes == attestation.signingBytes)
    }

    @Test("an Ethereum issuer's key is written in EIP-55 form whatever case it arrived in")
    func addressIsChecksummed() {
        let lower = Issuer(scheme: .eip191, key: "0x19e7e376e7c213b7e7e7e46cc70a5dd086daff2a")
        #expect(lower?.key == "0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A")
    }
}
