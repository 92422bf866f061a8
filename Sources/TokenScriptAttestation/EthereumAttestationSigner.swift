import TokenScriptEthereum
import TokenScriptModel
import TokenScriptSecp256k1

/// Signs attestations as an Ethereum wallet would (RFC 6979, low s), for tools and tests that stand in
/// for an external issuer; byte-identical to eth-account for the same key and message.
public struct EthereumAttestationSigner: Sendable {
    private let privateKey: [UInt8]
    public let address: EthereumAddress

    public init(privateKey: [UInt8]) throws {
        self.privateKey = privateKey
        self.address = SignatureCheck.address(ofPublicKey: try Secp256k1.publicKey(privateKey: privateKey))
    }

    /// Signs under `scheme` (`eip191`, `eip712` or `eas`; the latter needs `attestation.eas`, and the id is
    /// set to the EAS UID).
    public func sign(_ attestation: Attestation, scheme: SignatureScheme) throws -> Attestation {
        var signed = attestation
        let digest: [UInt8]
        switch scheme {
        case .eip191:
            signed.issuer = .eip191(address)
            digest = EIP191.digest(signed.signingBytes)
        case .eip712:
            signed.issuer = .eip712(address)
            digest = AttestationTypedData.digest(signed)
        case .eas:
            signed.issuer = .eas(address)
            guard let uid = EASOffchain.uid(signed), let easDigest = EASOffchain.digest(signed) else {
                throw AttestationDecodingError(field: "eas", reason: "missing for the eas scheme")
            }
            signed.id = uid
            digest = easDigest
        case .ed25519:
            throw AttestationDecodingError(field: "issuer.scheme", reason: "use Ed25519AttestationSigner")
        }
        signed.signature = try signature(digest: digest)
        return signed
    }

    /// The recoverable signature (`r ‖ s ‖ v`, low s) of a 32-byte digest.
    func signature(digest: [UInt8]) throws -> [UInt8] {
        try Secp256k1.sign(digest: digest, privateKey: privateKey).bytes
    }
}
