import Crypto

/// Signs attestations as a network participant: Ed25519 over the canonical signing bytes.
///
/// Keeps the 32-byte RFC 8032 seed rather than swift-crypto's key object, which is not `Sendable`.
public struct Ed25519AttestationSigner: Sendable {
    private let seed: [UInt8]
    public let issuer: Issuer

    public init(privateKey: Curve25519.Signing.PrivateKey) {
        self.seed = Array(privateKey.rawRepresentation)
        self.issuer = .ed25519(publicKey: Array(privateKey.publicKey.rawRepresentation))
    }

    /// From a 32-byte RFC 8032 seed, so a participant's key can be kept as plain bytes.
    public init(seed: [UInt8]) throws {
        self.init(privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: seed))
    }

    /// `attestation` with this signer as issuer and a fresh signature.
    public func sign(_ attestation: Attestation) throws -> Attestation {
        var signed = attestation
        signed.issuer = issuer
        signed.eas = nil
        signed.signature = try signature(for: signed.signingBytes)
        return signed
    }

    /// The Ed25519 signature of `bytes` (an attestation's or a read grant's signing bytes).
    func signature(for bytes: [UInt8]) throws -> [UInt8] {
        Array(try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: bytes))
    }
}
