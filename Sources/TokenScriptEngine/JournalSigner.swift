import Crypto

/// The node's journal key: signs each journal line's chain hash with Ed25519.
///
/// Injected by the caller (the CLI or the service loads the key; the engine reads no files). Keeps the
/// 32-byte RFC 8032 seed rather than swift-crypto's key object, which is not `Sendable`.
public struct JournalSigner: Sendable {
    private let seed: [UInt8]
    /// The 32-byte Ed25519 public key, written into the journal header as `signer`.
    public let publicKey: [UInt8]

    /// From a 32-byte RFC 8032 seed.
    public init(seed: [UInt8]) throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        self.seed = seed
        self.publicKey = Array(key.publicKey.rawRepresentation)
    }

    /// The signature over one line's chain hash (`JournalSigner.message(forHash:)`).
    func sign(hash: String) -> [UInt8] {
        // The seed was accepted by the initialiser, so rebuilding the key cannot fail.
        let key = try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        return Array(try! key.signature(for: Self.message(forHash: hash)))
    }

    /// What is signed: a domain tag, so that a journal signature can never be mistaken for an attestation
    /// signature made with the same key, then the line's chain hash in hex. The hash commits to the line's
    /// content and, through `prev`, to every line before it, so one signature covers the whole prefix.
    static func message(forHash hash: String) -> [UInt8] {
        Array("\(Journal.format) line hash ".utf8) + Array(hash.utf8)
    }

    /// Whether `signature` is `publicKey`'s signature over the line hash `hash`.
    static func verify(signature: [UInt8], hash: String, publicKey: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message(forHash: hash))
    }
}
