import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptTesting

/// The grant's wire form is read strictly, naming the field: a lenient reader would let a node and a holder
/// disagree about what was granted.
@Suite("Read grants: strict wire form and hostile numbers")
struct ReadGrantWireFormatTests {
    typealias F = ReadGrantFixture

    static var wire: String { try! F.signed("eip191").json }

    @Test("the wire form is canonical JSON with the documented members")
    func shape() throws {
        let grant = try F.signed("ed25519")
        let expectedPrefix =
            #"{"expiresAt":1790086400,"grantee":"car-rental.example","holder":{"key":""#
            + grant.holder.key + #"","scheme":"ed25519"},"instance":"ticket-LH2024-12A","interfaces":["flightStatus"],"#
            + #""issuedAt":1790000000,"signature":"0x"#
        #expect(grant.json.hasPrefix(expectedPrefix), "\(grant.json)")
        #expect(grant.signingBytes.starts(with: Array("swift-tokenscript read grant v1\n".utf8)))
    }

    @Test(
        "each malformed field is refused, naming it",
        arguments: [
            ("an unknown field", #""grantee":"#, #""extra":1,"grantee":"#, "extra", "unknown field"),
            ("a missing field", #""grantee":"car-rental.example","#, "", "grantee", "missing"),
            ("grantee a number", #""grantee":"car-rental.example""#, #""grantee":7"#, "grantee", "expected a string"),
            ("empty instance", #""instance":"ticket-LH2024-12A""#, #""instance":"""#, "instance", "1 to 256"),
            (
                "interfaces a string", #""interfaces":["flightStatus"]"#, #""interfaces":"flightStatus""#,
                "interfaces", "expected an array"
            ),
            ("no interfaces", #""interfaces":["flightStatus"]"#, #""interfaces":[]"#, "interfaces", "1 to 64"),
            (
                "an interface not a string", #""interfaces":["flightStatus"]"#, #""interfaces":["flightStatus",3]"#,
                "interfaces[1]", "expected a string"
            ),
            (
                "a repeated interface", #""interfaces":["flightStatus"]"#,
                #""interfaces":["flightStatus","flightStatus"]"#,
                "interfaces[1]", "listed twice"
            ),
            (
                "* beside a name", #""interfaces":["flightStatus"]"#, #""interfaces":["flightStatus","*"]"#,
                "interfaces[1]", "must stand alone"
            ),
            ("a pattern", #""interfaces":["flightStatus"]"#, #""interfaces":["flight*"]"#, "interfaces[0]", "alone"),
            ("expiry before issue", #""expiresAt":1790086400"#, #""expiresAt":1790000000"#, "expiresAt", "later"),
            ("holder scheme eas", #""scheme":"eip191""#, #""scheme":"eas""#, "holder.scheme", "unknown scheme"),
            ("holder key not an address", #""key":"0x"#, #""key":"0xzz"#, "holder.key", "Ethereum address"),
            (
                "an unknown holder member", #""scheme":"eip191""#, #""scheme":"eip191","chain":1"#, "holder.chain",
                "unknown field"
            ),
            ("signature not hex", #""signature":"0x"#, #""signature":"zz"#, "signature", "0x-prefixed hex"),
            (
                "a member after the signature", #""signature":"0x"#, #""signature":"0x00","old":"0x"#, "old",
                "unknown field"
            ),
        ] as [(String, String, String, String, String)])
    func malformed(label: String, original: String, replacement: String, field: String, reason: String) throws {
        let text = Self.wire.replacingFirst(original, with: replacement)
        #expect(text != Self.wire, "\(label): the fixture did not change")
        let refusal = try #require(ReadGrantVerifier.verify(json: text, for: F.request("eip191")).refusal, "\(label)")
        #expect(refusal.code == "malformed", "\(label): \(refusal)")
        #expect(refusal.reason.field == field, "\(label): \(refusal)")
        #expect(refusal.message.contains(reason), "\(label): \(refusal.message)")
    }

    @Test(
        "hostile numbers are refused, naming the field",
        arguments: [
            ("-1", "issuedAt", "-1 is out of range"),
            ("-9223372036854775808", "issuedAt", "beyond ±(2^53 − 1)"),
            ("9007199254740992", "issuedAt", "beyond ±(2^53 − 1)"),
            ("9223372036854775808", "issuedAt", "beyond the 64-bit range"),
            ("100000000000000000000000000", "issuedAt", "beyond the 64-bit range"),
            ("1.5", "issuedAt", "only integers"),
            ("1e9", "issuedAt", "only integers"),
            ("\"1790000000\"", "issuedAt", "expected a non-negative integer"),
            ("null", "issuedAt", "expected a non-negative integer"),
        ] as [(String, String, String)])
    func hostileNumbers(number: String, field: String, reason: String) throws {
        for member in ["issuedAt", "expiresAt"] {
            let original = member == "issuedAt" ? #""issuedAt":1790000000"# : #""expiresAt":1790086400"#
            let text = Self.wire.replacingFirst(original, with: "\"\(member)\":\(number)")
            let refusal = try #require(ReadGrantVerifier.verify(json: text, for: F.request("eip191")).refusal)
            #expect(refusal.reason.field == member, "\(member) = \(number): \(refusal)")
            #expect(refusal.message.contains(reason), "\(member) = \(number): \(refusal.message)")
        }
        // The reader is unharmed: the untouched grant still reads and verifies.
        #expect(ReadGrantVerifier.verify(json: Self.wire, for: F.request("eip191")).isAccepted)
    }

    @Test("duplicate keys, trailing garbage, deep nesting and oversize text are refused")
    func hostileText() throws {
        let duplicate = Self.wire.replacingFirst(#""grantee":"#, with: #""grantee":"x","grantee":"#)
        let oversize = Self.wire.replacingFirst(
            #""grantee":"car-rental.example""#,
            with: "\"grantee\":\"" + String(repeating: "a", count: ReadGrant.maximumJSONBytes) + "\"")
        let deep = Self.wire.replacingFirst(
            #""grantee":"car-rental.example""#,
            with: "\"grantee\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100))
        let longName = Self.wire.replacingFirst(
            #""grantee":"car-rental.example""#, with: "\"grantee\":\"" + String(repeating: "a", count: 257) + "\"")
        for (label, text, field) in [
            ("duplicate key", duplicate, "grantee"), ("trailing garbage", Self.wire + "x", nil),
            ("oversize", oversize, "(document)"), ("deep nesting", deep, nil),
            ("257-byte grantee", longName, "grantee"),
        ] as [(String, String, String?)] {
            let refusal = try #require(
                ReadGrantVerifier.verify(json: text, for: F.request("eip191")).refusal, "\(label)")
            #expect(refusal.code == "malformed", "\(label): \(refusal)")
            if let field { #expect(refusal.reason.field == field, "\(label): \(refusal)") }
        }
    }
}
