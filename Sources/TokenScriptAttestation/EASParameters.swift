import TokenScriptEthereum

/// The fields of an EAS off-chain attestation that our envelope does not already hold.
///
/// EAS signs `schema, recipient, time, expirationTime, revocable, refUID, data` (+ `salt` in version 2)
/// under the domain `EAS Attestation`; `time`, `expirationTime` and `data` come from the envelope
/// (`EASOffchain`), these come from here. All of them are in the signed EAS message.
public struct EASParameters: Hashable, Sendable {
    /// The EAS off-chain attestation version: 1 (no salt) or 2 (with `salt`).
    public var version: UInt16
    /// The EAS contract version named in the EIP-712 domain, e.g. "1.3.0".
    public var domainVersion: String
    public var chainID: UInt64
    /// The EAS contract address in the EIP-712 domain.
    public var verifyingContract: EthereumAddress
    /// The 32-byte schema UID (registered for `string topic,string type,string payload`).
    public var schema: [UInt8]
    public var recipient: EthereumAddress
    public var revocable: Bool
    /// The 32-byte UID this attestation refers to, zero for none.
    public var refUID: [UInt8]
    /// 32 random bytes in version 2, absent in version 1.
    public var salt: [UInt8]?

    public init(
        version: UInt16, domainVersion: String, chainID: UInt64, verifyingContract: EthereumAddress,
        schema: [UInt8], recipient: EthereumAddress, revocable: Bool, refUID: [UInt8], salt: [UInt8]?
    ) {
        self.version = version
        self.domainVersion = domainVersion
        self.chainID = chainID
        self.verifyingContract = verifyingContract
        self.schema = schema
        self.recipient = recipient
        self.revocable = revocable
        self.refUID = refUID
        self.salt = salt
    }

    /// The first field that breaks EAS's shape, for `malformed`.
    var firstViolation: String? {
        if version != 1 && version != 2 { return "eas.version" }
        if schema.count != 32 { return "eas.schema" }
        if refUID.count != 32 { return "eas.refUID" }
        if version == 2 ? salt?.count != 32 : salt != nil { return "eas.salt" }
        if chainID > UInt64(AttestationValue.maximumInteger) { return "eas.chainId" }
        return nil
    }
}
