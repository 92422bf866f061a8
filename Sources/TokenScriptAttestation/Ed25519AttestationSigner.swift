import Crypto

/// Signs attestations as a network participant: Ed25519 over the canonical signing bytes.
///
/// Keeps its key built once (`Ed25519SigningKey`), not rebuilt from the seed for every signature.
public struct Ed25519AttestationSigner: Sendable {
    private let key: Ed25519SigningKey
    public let issuer: Issuer

    public init(privateKey: Curve25519.Signing.PrivateKey) {
        self.key = Ed25519SigningKey(privateKey)
        self.issuer = .ed25519(publicKey: key.publicKey)
    }

    /// From a 32-byte RFC 8032 seed, so a participant's key can be kept as plain bytes.
    public init(seed: [UInt8]) throws {
        self.key = try Ed25519SigningKey(seed: seed)
        self.issuer = .ed25519(publicKey: key.publicKey)
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
        try key.signature(for: bytes)
    }
}
