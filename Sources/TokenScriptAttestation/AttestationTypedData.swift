import TokenScriptEthereum

/// The `eip712` scheme: the attestation as EIP-712 typed data, so a wallet shows each field before signing.
///
/// Domain `{name: "swift-tokenscript", version: "1"}` (no chain: the attestation lives off-chain), type
/// `Attestation(string id,string topic,string type,uint64 issuedAt,uint64 expiresAt,string payload)` with
/// `expiresAt` 0 for never and `payload` the canonical JSON text. The issuer is not a field: it is the
/// address recovered from the signature.
public enum AttestationTypedData {
    public static let domainName = "swift-tokenscript"
    public static let domainVersion = "1"
    public static let domainType = "EIP712Domain(string name,string version)"
    public static let attestationType =
        "Attestation(string id,string topic,string type,uint64 issuedAt,uint64 expiresAt,string payload)"

    public static var domainSeparator: [UInt8] {
        EIP712.hashStruct(
            type: domainType, fields: [EIP712.word(string: domainName), EIP712.word(string: domainVersion)])
    }

    /// The 32-byte digest an `eip712` issuer signs for this attestation.
    public static func digest(_ attestation: Attestation) -> [UInt8] {
        let structHash = EIP712.hashStruct(
            type: attestationType,
            fields: [
                EIP712.word(string: attestation.id),
                EIP712.word(string: attestation.topic),
                EIP712.word(string: attestation.type),
                EIP712.word(attestation.issuedAt),
                EIP712.word(attestation.expiresAt ?? 0),
                EIP712.word(bytes: CanonicalJSON.encode(attestation.payload)),
            ])
        return EIP712.digest(domainSeparator: domainSeparator, structHash: structHash)
    }
}
