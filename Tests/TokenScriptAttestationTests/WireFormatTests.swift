import Testing
import TokenScriptArithmetic
@testable import TokenScriptAttestation
import TokenScriptEthereum

@Suite("Wire form errors name the field")
struct WireFormatTests {
    /// A valid wire object as a dictionary of raw JSON member texts, so each case can spoil one member.
    static func wire(replacing name: String? = nil, with text: String? = nil, adding extra: String? = nil) -> String {
        let attestation = Fixture.signed()
        var members: [(String, String)] = [
            ("id", #""\#(attestation.id)""#), ("topic", #""\#(attestation.topic)""#), ("type", #""delay""#),
            ("issuer", #"{"scheme":"ed25519","key":"\#(attestation.issuer.key)"}"#),
            ("issuedAt", "\(attestation.issuedAt)"), ("expiresAt", "\(attestation.expiresAt!)"),
            ("payload", #"{"flight":"LH400","delayMinutes":90}"#),
            ("signature", #""\#(Hex.encode(attestation.signature))""#),
        ]
        if let name {
            members =
                text.map { text in members.map { $0.0 == name ? ($0.0, text) : $0 } }
                ?? members.filter { $0.0 != name }
        }
        var body = members.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",")
        if let extra { body += "," + extra }
        return "{" + body + "}"
    }

    @Test("the unspoilt wire object reads")
    func valid() throws {
        #expect(try Attestation(json: Self.wire()) == Fixture.signed())
    }

    @Test(
        "each spoilt member is reported by name",
        arguments: [
            (wire(replacing: "id"), "id"),
            (wire(replacing: "topic", with: "42"), "topic"),
            (wire(replacing: "topic", with: #""flight-status/*""#), "topic"),
            (wire(replacing: "issuer", with: #"{"scheme":"rsa","key":"0x00"}"#), "issuer.scheme"),
            (wire(replacing: "issuer", with: #"{"scheme":"ed25519","key":"0x1234"}"#), "issuer.key"),
            (wire(replacing: "issuer", with: #"{"scheme":"eip191","key":"not-an-address"}"#), "issuer.key"),
            (wire(replacing: "issuer", with: #"{"scheme":"ed25519"}"#), "issuer.key"),
            (wire(replacing: "issuedAt", with: "-1"), "issuedAt"),
            (wire(replacing: "issuedAt", with: "1.5"), "issuedAt"),
            (wire(replacing: "issuedAt", with: #""1795305600""#), "issuedAt"),
            (wire(replacing: "expiresAt", with: "1"), "expiresAt"),
            (wire(replacing: "payload", with: #"{"delay":1e3}"#), "payload.delay"),
            (wire(replacing: "payload", with: #"{"n":9007199254740992}"#), "payload.n"),
            (wire(replacing: "payload", with: #"{"a":1,"a":2}"#), "payload.a"),
            (wire(replacing: "payload", with: #"{"s":"\ud800"}"#), "payload.s"),
            (wire(replacing: "payload", with: #"{"x":1.0}"#), "payload.x"),
            (wire(replacing: "payload", with: #"{"x":[0, -0]}"#), "payload.x[1]"),
            (wire(replacing: "payload", with: #"{"x":{"a b":01}}"#), #"payload.x["a b"]"#),
            (wire(replacing: "issuedAt", with: "-9223372036854775808"), "issuedAt"),
            (wire(replacing: "issuedAt", with: "99999999999999999999"), "issuedAt"),
            (wire(adding: #""id":"again""#), "id"),
            ("\u{FEFF}" + wire(), "(document)"),
            (wire(replacing: "signature", with: #""abcd""#), "signature"),
            (wire(replacing: "signature", with: #""0x1234""#), "signature"),
            (wire(adding: #""comment":"hi""#), "comment"),
            ("[1,2]", "(document)"),
            (wire() + "x", "(document)"),
        ])
    func spoilt(json: String, field: String) {
        #expect(throws: AttestationDecodingError.self) { try Attestation(json: json) }
        do {
            _ = try Attestation(json: json)
        } catch {
            #expect(error.field == field, "\(error)")
        }
    }

    @Test("an eas attestation without its eas parameters is malformed")
    func easWithoutParameters() throws {
        let vector = try #require(AttestationVector.all.first { $0.name == "eas v2 valid" })
        var text = vector.wire
        let start = try #require(text.range(of: #""eas": {"#))
        let end = try #require(text.range(of: "}", range: start.upperBound..<text.endIndex))
        text.removeSubrange(start.lowerBound...end.lowerBound)
        text = text.replacingOccurrences(of: ", ,", with: ",")
        #expect(throws: AttestationDecodingError(field: "eas", reason: "invalid value (see README.md for the rules)")) {
            try Attestation(json: text)
        }
    }

    @Test("payload keys that differ only in Unicode normalisation are two members, and survive the round trip")
    func normalisationVariantsStayApart() throws {
        let attestation = Fixture.signed(Fixture.claim(payload: ["\u{E9}": 1, "e\u{301}": 2]))
        let again = try Attestation(json: attestation.json)
        #expect(again == attestation)
        guard case .object(let members) = again.payload else { Issue.record("payload \(again.payload)"); return }
        #expect(members.count == 2)
        #expect(members["e\u{301}"] == .integer(2))
    }
}
