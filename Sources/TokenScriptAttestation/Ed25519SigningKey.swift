import Crypto

/// One Ed25519 private key, built once from its seed and shared by every signature a signer makes.
///
/// Rebuilding swift-crypto's key from the seed for each signature derived the public key again (a base-point
/// multiplication, about as costly as the signature itself). The key object is not marked `Sendable`; here it
/// is never mutated after `init`, and signing only reads it (BoringSSL's `ED25519_sign` takes the key as
/// `const`), so sharing it across tasks is safe.
package final class Ed25519SigningKey: @unchecked Sendable {
    private let key: Curve25519.Signing.PrivateKey
    /// The 32-byte public key.
    package let publicKey: [UInt8]

    /// From a 32-byte RFC 8032 seed.
    package convenience init(seed: [UInt8]) throws {
        self.init(try Curve25519.Signing.PrivateKey(rawRepresentation: seed))
    }

    package init(_ key: Curve25519.Signing.PrivateKey) {
        self.key = key
        self.publicKey = Array(key.publicKey.rawRepresentation)
    }

    /// The signature of `bytes`.
    package func signature(for bytes: [UInt8]) throws -> [UInt8] { Array(try key.signature(for: bytes)) }
}
