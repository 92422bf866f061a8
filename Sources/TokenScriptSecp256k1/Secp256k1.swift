internal import CTokenScriptSecp256k1

/// ECDSA on secp256k1 as Ethereum uses it: recover the signer's key, spot high-s twins, sign (RFC 6979).
///
/// The only module that calls libsecp256k1; callers see byte arrays, never its handles.
public enum Secp256k1 {
    /// One context for the process: libsecp256k1 contexts are safe to share for all calls made here
    /// (none of them randomises or mutates it).
    nonisolated(unsafe) private static let context: OpaquePointer = secp256k1_context_create(
        UInt32(SECP256K1_CONTEXT_NONE)
    )!

    /// True when `s > n/2`. Each valid signature has such a twin (`n - s`, `v` flipped) that verifies too,
    /// so accepting both would give one message two signatures (EIP-2): callers reject this form.
    public static func isHighS(_ signature: RecoverableSignature) throws(Secp256k1Error) -> Bool {
        var parsed = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_compact(context, &parsed, signature.compact) == 1 else {
            throw .invalidSignature
        }
        // Returns 1 when the input was not normalised (its s was high); the output is not needed.
        return secp256k1_ecdsa_signature_normalize(context, nil, &parsed) == 1
    }

    /// The signer's uncompressed public key (65 bytes, 0x04 ‖ x ‖ y) for a 32-byte digest.
    public static func recoverPublicKey(
        digest: [UInt8], signature: RecoverableSignature
    ) throws(Secp256k1Error) -> [UInt8] {
        guard digest.count == 32 else { throw .invalidSignature }
        var parsed = secp256k1_ecdsa_recoverable_signature()
        guard
            secp256k1_ecdsa_recoverable_signature_parse_compact(
                context, &parsed, signature.compact, signature.recoveryID) == 1
        else { throw .invalidSignature }
        var key = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &key, &parsed, digest) == 1 else { throw .recoveryFailed }
        return serialize(key)
    }

    /// The uncompressed public key of a 32-byte private key.
    public static func publicKey(privateKey: [UInt8]) throws(Secp256k1Error) -> [UInt8] {
        guard privateKey.count == 32 else { throw .invalidPrivateKey }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(context, &key, privateKey) == 1 else { throw .invalidPrivateKey }
        return serialize(key)
    }

    /// A deterministic (RFC 6979) low-s signature over a 32-byte digest, as eth-account makes it.
    public static func sign(digest: [UInt8], privateKey: [UInt8]) throws(Secp256k1Error) -> RecoverableSignature {
        guard digest.count == 32 else { throw .invalidSignature }
        guard privateKey.count == 32 else { throw .invalidPrivateKey }
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_sign_recoverable(context, &signature, digest, privateKey, nil, nil) == 1 else {
            throw .invalidPrivateKey
        }
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryID: Int32 = 0
        secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &compact, &recoveryID, &signature)
        return RecoverableSignature(compact: compact, recoveryID: recoveryID)!
    }

    private static func serialize(_ key: secp256k1_pubkey) -> [UInt8] {
        var key = key
        var output = [UInt8](repeating: 0, count: 65)
        var length = 65
        secp256k1_ec_pubkey_serialize(context, &output, &length, &key, UInt32(SECP256K1_EC_UNCOMPRESSED))
        return output
    }
}
