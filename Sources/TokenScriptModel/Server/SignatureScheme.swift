/// How an attestation is signed, which decides what an issuer's `key=` is and which bytes are signed
/// (`Sources/TokenScriptAttestation/README.md` gives the exact bytes of each).
///
/// The one definition shared by the model (`sl:issuer scheme=`) and the attestation verifier (`Issuer`).
public enum SignatureScheme: String, Sendable, Hashable, Codable, CaseIterable {
    /// `personal_sign` over the attestation's canonical JSON; the key is the signer's 0x address.
    case eip191
    /// EIP-712 typed data; the key is the signer's 0x address.
    case eip712
    /// An Ethereum Attestation Service attestation; the key is the attester's 0x address.
    case eas
    /// An Ed25519 signature over the canonical JSON; the key is the 32-byte public key in hex.
    case ed25519

    /// Whether `key` has the form this scheme needs: `0x` + 40 hex digits, or 64 hex digits (optional `0x`)
    /// for Ed25519.
    public func accepts(key: String) -> Bool {
        let hex = key.hasPrefix("0x") || key.hasPrefix("0X") ? key.dropFirst(2) : Substring(key)
        guard hex.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return false }
        switch self {
        case .eip191, .eip712, .eas: return key.hasPrefix("0x") && hex.count == 40
        case .ed25519: return hex.count == 64
        }
    }
}
