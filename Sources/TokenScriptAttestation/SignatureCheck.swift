import Crypto
import TokenScriptEthereum
import TokenScriptSecp256k1

/// Checks an attestation's signature under its issuer's scheme; nil when it holds.
enum SignatureCheck {
    /// - Parameter signatures: Ed25519 signatures checked already; a good one found there is not checked again,
    ///   and a newly checked good one is added.
    static func failure(
        _ attestation: Attestation, signatures: VerifiedSignatures? = nil
    ) -> AttestationRejection.Reason? {
        switch attestation.issuer {
        case .ed25519(let publicKey):
            let message = attestation.signingBytes
            guard let signatures else { return ed25519Failure(message, attestation.signature, publicKey: publicKey) }
            let key = VerifiedSignatures.key(publicKey: publicKey, signature: attestation.signature, message: message)
            if signatures.contains(key) { return nil }
            let failure = ed25519Failure(message, attestation.signature, publicKey: publicKey)
            if failure == nil { signatures.insert(key) }
            return failure
        case .eip191(let address):
            return recoveryFailure(
                EIP191.digest(attestation.signingBytes), attestation.signature, expected: address)
        case .eip712(let address):
            return recoveryFailure(AttestationTypedData.digest(attestation), attestation.signature, expected: address)
        case .eas(let address):
            guard attestation.id == EASOffchain.uid(attestation) else { return .malformed(field: "id") }
            guard let digest = EASOffchain.digest(attestation) else { return .malformed(field: "eas") }
            return recoveryFailure(digest, attestation.signature, expected: address)
        }
    }

    /// Ed25519 (RFC 8032) over `message`; a key that is not a curve point is the issuer's key field's fault.
    static func ed25519Failure(
        _ message: [UInt8], _ signature: [UInt8], publicKey: [UInt8]
    ) -> AttestationRejection.Reason? {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else {
            return .malformed(field: "issuer.key")
        }
        return key.isValidSignature(signature, for: message) ? nil : .badSignature
    }

    /// ECDSA by recovery: refuse the high-s form, recover the key, compare its address with the issuer's.
    static func recoveryFailure(
        _ digest: [UInt8], _ bytes: [UInt8], expected: EthereumAddress
    ) -> AttestationRejection.Reason? {
        guard let signature = RecoverableSignature(bytes) else { return .malformed(field: "signature") }
        do {
            if try Secp256k1.isHighS(signature) { return .highS }
            let signer = address(ofPublicKey: try Secp256k1.recoverPublicKey(digest: digest, signature: signature))
            return signer == expected ? nil : .wrongSigner(recovered: signer.checksummed)
        } catch {
            return .badSignature
        }
    }

    /// The Ethereum address of an uncompressed public key: the last 20 bytes of keccak256(x ‖ y).
    static func address(ofPublicKey key: [UInt8]) -> EthereumAddress {
        EthereumAddress(bytes: Array(Keccak256.hash(key.dropFirst()).suffix(20)))!
    }
}
