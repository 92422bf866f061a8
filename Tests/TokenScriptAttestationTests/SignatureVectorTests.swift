import Testing
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptEthereum

@Suite("Signatures from eth-account and pycryptodome")
struct SignatureVectorTests {
    @Test("each vector is accepted or rejected with the generator's reason", arguments: AttestationVector.all)
    func verdict(_ vector: AttestationVector) throws {
        let attestation = try Attestation(json: vector.wire)
        let result = AttestationVerifier.verify(
            attestation, trust: AttestationVectors.trust, now: AttestationVectors.now, seen: SeenAttestations())
        switch result {
        case .success:
            #expect(vector.isAccepted, "accepted, but expected \(vector.expected)")
        case .failure(let rejection):
            #expect(rejection.reason.code == vector.expected["reason"], "\(rejection.message)")
            if case .wrongSigner(let recovered) = rejection.reason, let expected = vector.expected["recovered"] {
                #expect(recovered == expected)
            }
            if case .malformed(let field) = rejection.reason { #expect(field == vector.expected["field"]) }
        }
    }

    @Test("canonical signing bytes equal the generator's independent encoding", arguments: AttestationVector.all)
    func signingBytes(_ vector: AttestationVector) throws {
        let attestation = try Attestation(json: vector.wire)
        #expect(Hex.encode(attestation.signingBytes) == vector.signingBytes)
    }

    @Test("EIP-191, EIP-712 and EAS digests equal eth-account's", arguments: AttestationVector.accepted)
    func digests(_ vector: AttestationVector) throws {
        let attestation = try Attestation(json: vector.wire)
        let digest: [UInt8]? =
            switch attestation.issuer.scheme {
            case .ed25519: nil
            case .eip191: EIP191.digest(attestation.signingBytes)
            case .eip712: AttestationTypedData.digest(attestation)
            case .eas: EASOffchain.digest(attestation)
            }
        #expect(digest.map { Hex.encode($0) } == vector.digest)
        if let uid = vector.uid { #expect(EASOffchain.uid(attestation) == uid) }
    }

    @Test(
        "signing in Swift reproduces eth-account's ECDSA signatures byte for byte",
        arguments: AttestationVector.reSignable)
    func swiftSigningMatches(_ vector: AttestationVector) throws {
        let attestation = try Attestation(json: vector.wire)
        let signer = try EthereumAttestationSigner(
            privateKey: Hex.decode(AttestationVectors.key("airline", "privateKey"))!)
        let signed = try signer.sign(attestation, scheme: attestation.issuer.scheme)
        #expect(signed.signature == attestation.signature)
        #expect(signed.id == attestation.id)
    }

    @Test("the vectors include ECDSA signatures our signer can reproduce, for every Ethereum scheme")
    func reSignableVectorsExist() throws {
        let schemes = try Set(AttestationVector.reSignable.map { try Attestation(json: $0.wire).issuer.scheme })
        #expect(schemes == [.eip191, .eip712, .eas])
    }

    @Test("the airline key derives the generator's address")
    func airlineAddress() throws {
        let signer = try EthereumAttestationSigner(
            privateKey: Hex.decode(AttestationVectors.key("airline", "privateKey"))!)
        #expect(signer.address.checksummed == AttestationVectors.key("airline", "address"))
    }

    @Test("an Ed25519 signer built from the fixture seed matches pycryptodome's public key and signature")
    func ed25519FromSeed() throws {
        let signer = try Ed25519AttestationSigner(seed: Hex.decode(AttestationVectors.key("participant", "seed"))!)
        #expect(signer.issuer.key == AttestationVectors.key("participant", "publicKey"))
        let vector = try #require(AttestationVector.all.first { $0.name == "ed25519 valid" })
        let attestation = try Attestation(json: vector.wire)
        #if os(Linux)
            // BoringSSL's Ed25519 is RFC 8032 deterministic; CryptoKit on Apple platforms randomises.
            #expect(try signer.sign(attestation).signature == attestation.signature)
        #endif
    }
}

@Suite("ECDSA signature forms")
struct ECDSASignatureFormTests {
    /// Replaces the signature of the valid EIP-191 vector.
    static func verdict(_ edit: (inout [UInt8]) -> Void) throws -> AttestationRejection.Reason? {
        let vector = try #require(AttestationVector.all.first { $0.name == "eip191 valid" })
        var attestation = try Attestation(json: vector.wire)
        edit(&attestation.signature)
        return AttestationVerifier.verify(
            attestation, trust: AttestationVectors.trust, now: AttestationVectors.now, seen: SeenAttestations()
        ).rejection?.reason
    }

    @Test("v outside 0, 1, 27, 28 is a malformed signature")
    func badV() throws {
        #expect(try Self.verdict { $0[64] = 29 } == .malformed(field: "signature"))
    }

    @Test("r = 0 or s ≥ n cannot be parsed and is a bad signature")
    func outOfRange() throws {
        #expect(
            try Self.verdict { $0.replaceSubrange(0..<32, with: [UInt8](repeating: 0, count: 32)) } == .badSignature)
        #expect(
            try Self.verdict { $0.replaceSubrange(32..<64, with: [UInt8](repeating: 0xFF, count: 32)) } == .badSignature
        )
    }
}
