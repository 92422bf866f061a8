/// Why libsecp256k1 refused an input; all inputs here are public, so these are reasons, not secrets.
public enum Secp256k1Error: Error, Hashable, Sendable {
    /// `r` or `s` is zero or not below the group order, or the digest is not 32 bytes.
    case invalidSignature
    /// No public key recovers from this signature and digest.
    case recoveryFailed
    /// The private key is not 32 bytes in [1, n-1].
    case invalidPrivateKey
}
