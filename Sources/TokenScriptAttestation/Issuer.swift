import TokenScriptArithmetic
import TokenScriptEthereum
import TokenScriptModel

/// Who signed an attestation and how: the scheme fixes both the key form and the signed bytes.
///
/// Network participants hold Ed25519 keys; external issuers (an airline) sign with Ethereum wallets,
/// where the identity is the address recovered from the signature.
public enum Issuer: Hashable, Sendable, CustomStringConvertible {
    /// A 32-byte Ed25519 public key signing the canonical signing bytes.
    case ed25519(publicKey: [UInt8])
    /// An Ethereum account signing the canonical signing bytes with `personal_sign`.
    case eip191(EthereumAddress)
    /// An Ethereum account signing the `Attestation` EIP-712 typed data.
    case eip712(EthereumAddress)
    /// An Ethereum account signing an EAS off-chain attestation that carries this attestation.
    case eas(EthereumAddress)

    public var scheme: SignatureScheme {
        switch self {
        case .ed25519: .ed25519
        case .eip191: .eip191
        case .eip712: .eip712
        case .eas: .eas
        }
    }

    /// The key in its one text form: lower-case `0x` hex for Ed25519, EIP-55 for Ethereum addresses.
    public var key: String {
        switch self {
        case .ed25519(let publicKey): Hex.encode(publicKey)
        case .eip191(let address), .eip712(let address), .eas(let address): address.checksummed
        }
    }

    /// The Ethereum address for the recovery schemes; nil for Ed25519.
    public var ethereumAddress: EthereumAddress? {
        switch self {
        case .ed25519: nil
        case .eip191(let address), .eip712(let address), .eas(let address): address
        }
    }

    /// Reads `key` in the form `scheme` expects (Ethereum addresses in lower case or valid EIP-55).
    public init?(scheme: SignatureScheme, key: String) {
        switch scheme {
        case .ed25519:
            guard key.hasPrefix("0x"), let bytes = Hex.decode(key), bytes.count == 32 else { return nil }
            self = .ed25519(publicKey: bytes)
        case .eip191, .eip712, .eas:
            guard let address = EthereumAddress(key) else { return nil }
            self = scheme == .eip191 ? .eip191(address) : scheme == .eip712 ? .eip712(address) : .eas(address)
        }
    }

    public var description: String { "\(scheme.rawValue):\(key)" }
}
