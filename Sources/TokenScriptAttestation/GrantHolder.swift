import TokenScriptArithmetic
import TokenScriptEthereum

/// The instance's current holder, as the node knows it (the flight ticket's `ownerAddress`): the identity a
/// read grant must be signed by.
///
/// An Ethereum address matches a grant signed with `eip191` or `eip712` by that address (a wallet may sign
/// either way); an Ed25519 key matches a grant signed with that key.
public enum GrantHolder: Hashable, Sendable, CustomStringConvertible {
    case ethereum(EthereumAddress)
    case ed25519(publicKey: [UInt8])

    /// Reads `0x` and 20 bytes (an address, lower case or valid EIP-55) or `0x` and 32 bytes (an Ed25519 key).
    public init?(_ text: String) {
        if let address = EthereumAddress(text) {
            self = .ethereum(address)
        } else if text.hasPrefix("0x"), let bytes = Hex.decode(text), bytes.count == 32 {
            self = .ed25519(publicKey: bytes)
        } else {
            return nil
        }
    }

    /// Whether `signer` (a grant's verified holder) is this holder.
    public func matches(_ signer: Issuer) -> Bool {
        switch (self, signer) {
        case (.ethereum(let address), .eip191(let other)), (.ethereum(let address), .eip712(let other)):
            address == other
        case (.ed25519(let key), .ed25519(let other)): key == other
        default: false
        }
    }

    /// EIP-55 for an address, lower-case `0x` hex for a key.
    public var description: String {
        switch self {
        case .ethereum(let address): address.checksummed
        case .ed25519(let key): Hex.encode(key)
        }
    }
}
