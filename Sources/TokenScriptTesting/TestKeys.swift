import TokenScriptAttestation
import TokenScriptEngine

/// Signing keys for tests, from fixed seeds, so that signatures, golden journals and expected addresses are the
/// same on every run. Their private keys are public: never trust them outside a test.
public enum TestKeys {
    /// Seed or private key bytes: `byte` repeated 32 times.
    public static func seed(_ byte: UInt8) -> [UInt8] { Array(repeating: byte, count: 32) }

    /// An Ed25519 attestation signer (nodes, meters, anchors) with seed `byte` × 32.
    public static func ed25519(_ byte: UInt8) -> Ed25519AttestationSigner {
        // A 32-byte seed is always a valid Ed25519 key.
        try! Ed25519AttestationSigner(seed: seed(byte))
    }

    /// An Ethereum (EIP-191 / EIP-712 / EAS) attestation signer with private key `byte` × 32.
    public static func ethereum(_ byte: UInt8) -> EthereumAttestationSigner {
        // Any 32 equal bytes from 0x01 to 0xFF are below the secp256k1 group order.
        try! EthereumAttestationSigner(privateKey: seed(byte))
    }

    /// A journal signer (a node's key) with seed `byte` × 32.
    public static func journal(_ byte: UInt8) -> JournalSigner { try! JournalSigner(seed: seed(byte)) }

    /// The airline of the flight-ticket tests: an Ethereum key, 0x11 × 32, signing EIP-191 flight statuses.
    public static let airline = ethereum(0x11)
    /// An Ethereum key that signs well but is trusted for nothing: 0x22 × 32.
    public static let ethereumStranger = ethereum(0x22)
    /// The node key that signed the golden journals in `Fixtures/golden/` (seed 0x4a × 32).
    public static let journalKey = journal(0x4a)
    /// A second node key, for "signed, but by someone else" (seed 0x4b × 32).
    public static let otherJournalKey = journal(0x4b)
    /// RFC 8032 test vector 1's secret key: its public key is the meter key committed in
    /// `Fixtures/engine/counter.xml`.
    public static let rfc8032Meter = try! Ed25519AttestationSigner(seed: [
        0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4,
        0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60,
    ])
}
