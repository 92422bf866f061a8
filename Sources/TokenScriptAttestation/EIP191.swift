import TokenScriptEthereum

/// `personal_sign` (EIP-191 version 0x45): what a wallet signs when asked to sign a plain message.
///
/// The prefix stops a signed message from ever being a valid transaction.
public enum EIP191 {
    public static func digest(_ message: [UInt8]) -> [UInt8] {
        Keccak256.hash(Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8) + message)
    }
}
