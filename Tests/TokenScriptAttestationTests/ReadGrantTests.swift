import Testing
import TokenScriptAttestation
import TokenScriptEthereum
import TokenScriptTesting

@Suite("Read grants: signing and verification")
struct ReadGrantTests {
    typealias F = ReadGrantFixture

    @Test("a signed grant survives its wire form and lets the granted read through", arguments: F.schemes)
    func roundTrip(scheme: String) throws {
        let grant = try F.signed(scheme)
        #expect(grant.holder.scheme.rawValue == scheme)
        let read = try ReadGrant(json: grant.json)
        #expect(read == grant)
        #expect(read.json == grant.json)
        let verified = try ReadGrantVerifier.verify(read, for: F.request(scheme)).get()
        #expect(verified == grant)
    }

    @Test("an Ethereum holder matches a grant signed either way by its address, in any letter case")
    func ethereumHolderText() throws {
        let lower = "0x" + F.holderEthereum.address.checksummed.dropFirst(2).lowercased()
        let holder = try #require(GrantHolder(lower))
        for scheme in ["eip191", "eip712"] {
            var request = F.request(scheme)
            request.currentHolder = holder
            #expect(ReadGrantVerifier.verify(try F.signed(scheme), for: request).isAccepted)
        }
        #expect(GrantHolder("0x1234") == nil)
        #expect(GrantHolder("not-a-key") == nil)
    }

    @Test("'*' grants every interface", arguments: F.schemes)
    func everyInterface(scheme: String) throws {
        let grant = try F.signed(scheme, F.unsigned(interfaces: ["*"]))
        #expect(ReadGrantVerifier.verify(grant, for: F.request(scheme, interface: "anything")).isAccepted)
    }

    @Test(
        "each refusal has its reason, code and the field it names",
        arguments: [
            ("another interface", "interface-not-granted", "interfaces"),
            ("another instance", "wrong-instance", "instance"),
            ("another grantee", "wrong-grantee", "grantee"),
            ("the instance changed hands", "wrong-holder", "holder"),
            ("before issuedAt minus the skew", "not-yet-valid", "issuedAt"),
            ("at expiresAt", "expired", "expiresAt"),
            ("long after expiresAt", "expired", "expiresAt"),
        ] as [(String, String, String)])
    func refusals(situation: String, code: String, field: String) throws {
        for scheme in F.schemes {
            var request = F.request(scheme)
            switch situation {
            case "another interface": request.interface = "bookingDetails"
            case "another instance": request.instance = "ticket-LH2024-12B"
            case "another grantee": request.grantee = "hotel.example"
            case "the instance changed hands": request.currentHolder = .ethereum(F.stranger.address)
            case "before issuedAt minus the skew": request.now = F.issuedAt - 301
            case "at expiresAt": request.now = F.expiresAt
            default: request.now = UInt64(AttestationValue.maximumInteger)
            }
            let refusal = try #require(ReadGrantVerifier.verify(try F.signed(scheme), for: request).refusal)
            #expect(refusal.code == code, "\(scheme), \(situation): \(refusal)")
            #expect(refusal.reason.field == field, "\(scheme), \(situation)")
            #expect(refusal.message.contains(field), "\(scheme), \(situation): \(refusal.message)")
        }
    }

    @Test("the clock skew admits a grant dated up to 300 s ahead, and the last second before expiry")
    func window() throws {
        let grant = try F.signed("ed25519")
        #expect(ReadGrantVerifier.verify(grant, for: F.request("ed25519", now: F.issuedAt - 300)).isAccepted)
        #expect(ReadGrantVerifier.verify(grant, for: F.request("ed25519", now: F.expiresAt - 1)).isAccepted)
        let strict = ReadGrantVerifier.verify(grant, for: F.request("ed25519", now: F.issuedAt - 1), clockSkew: 0)
        #expect(strict.refusal?.reason == .notYetValid(issuedAt: F.issuedAt, now: F.issuedAt - 1))
    }

    @Test("a grant signed by someone else than its holder field is a forgery", arguments: F.schemes)
    func forgedHolder(scheme: String) throws {
        var grant = try F.signed(scheme)
        let stranger = try F.stranger.sign(F.unsigned(), scheme: scheme == "eip712" ? .eip712 : .eip191)
        if scheme == "ed25519" {
            grant.signature = try TestKeys.ed25519(0x34).sign(F.unsigned()).signature
        } else {
            grant.signature = stranger.signature
        }
        let refusal = try #require(ReadGrantVerifier.verify(grant, for: F.request(scheme)).refusal)
        let expected = scheme == "ed25519" ? "bad-signature" : "wrong-signer"
        #expect(refusal.code == expected, "\(refusal)")
        // EIP-712 leaves the holder out of the digest, so the stranger's own signature recovers the stranger.
        if scheme == "eip712", case .wrongSigner(let recovered) = refusal.reason {
            #expect(recovered == F.stranger.address.checksummed)
        }
    }

    @Test(
        "a hand-built grant is held to the wire rules before its signature is looked at",
        arguments: [
            ("signature", "a short signature"), ("holder.scheme", "an eas holder"), ("expiresAt", "beyond 2^53 − 1"),
            ("interfaces", "65 interfaces"),
        ])
    func handBuilt(field: String, label: String) throws {
        var grant = try F.signed("eip191")
        switch field {
        case "signature": grant.signature = [0]
        case "holder.scheme": grant.holder = .eas(F.holderEthereum.address)
        case "expiresAt": grant.expiresAt = UInt64(AttestationValue.maximumInteger) + 1
        default: grant.interfaces = (0...64).map { "interface\($0)" }
        }
        let refusal = try #require(ReadGrantVerifier.verify(grant, for: F.request("eip191")).refusal, "\(label)")
        #expect(refusal.reason.field == field, "\(label): \(refusal)")
        #expect(refusal.code == "malformed", "\(label)")
    }

    @Test("no grant at all is refused as missing, with a message that says how to get one")
    func missing() {
        let refusal = ReadGrantVerifier.verify(json: nil, for: F.request("ed25519")).refusal
        #expect(refusal?.code == "missing")
        #expect(refusal?.message.contains("tokenscript grant sign") == true)
        #expect(refusal?.reason.field == nil)
    }
}

extension Result where Failure == ReadGrantRefusal {
    var refusal: ReadGrantRefusal? { if case .failure(let refusal) = self { refusal } else { nil } }
    var isAccepted: Bool { refusal == nil }
}
