import Crypto
import TokenScriptAttestation

/// The node's journal key: signs each journal line's chain hash with Ed25519.
///
/// Injected by the caller (the CLI or the service loads the key; the engine reads no files). Keeps its key
/// built once (`Ed25519SigningKey`), not rebuilt from the seed for every line.
public struct JournalSigner: Sendable {
    private let key: Ed25519SigningKey
    /// The 32-byte Ed25519 public key, written into the journal header as `signer`.
    public var publicKey: [UInt8] { key.publicKey }

    /// From a 32-byte RFC 8032 seed.
    public init(seed: [UInt8]) throws {
        self.key = try Ed25519SigningKey(seed: seed)
    }

    /// The signature over one line's chain hash (`JournalSigner.message(forHash:)`).
    func sign(hash: String) -> [UInt8] {
        // Ed25519 signing of bytes cannot fail once the key was built.
        try! key.signature(for: Self.message(forHash: hash))
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
