import TokenScriptArithmetic
import TokenScriptEthereum

/// The `eas` scheme: an EAS off-chain attestation (version 1 or 2) whose `data` carries our envelope.
///
/// Mapping: `time` = `issuedAt`, `expirationTime` = `expiresAt` (0 for never), `data` =
/// `abi.encode(string topic, string type, string payload)` with `payload` the canonical JSON text (the EAS
/// schema `string topic,string type,string payload`), the rest from `EASParameters`. So every envelope
/// field an EAS issuer vouches for is inside what it signed, and `id` must be the EAS UID.
public enum EASOffchain {
    public static let domainName = "EAS Attestation"
    public static let domainType = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    public static let schemaDefinition = "string topic,string type,string payload"

    /// The EAS `Attest` type of each off-chain version (from eas-sdk's `OFFCHAIN_ATTESTATION_TYPES`).
    public static func attestType(version: UInt16) -> String {
        let common =
            "uint16 version,bytes32 schema,address recipient,uint64 time,uint64 expirationTime,"
            + "bool revocable,bytes32 refUID,bytes data"
        return version >= 2 ? "Attest(\(common),bytes32 salt)" : "Attest(\(common))"
    }

    /// The EAS `data` field for an attestation.
    public static func data(_ attestation: Attestation) -> [UInt8] {
        let payload = String(decoding: CanonicalJSON.encode(attestation.payload), as: UTF8.self)
        // Three strings always encode; the ABI encoder only throws on type/value mismatches.
        return
            (try? ABIEncoder.encode(
                [.string(attestation.topic), .string(attestation.type), .string(payload)],
                as: [.string, .string, .string])) ?? []
    }

    /// The 32-byte digest the attester signs; nil when the attestation has no EAS parameters.
    public static func digest(_ attestation: Attestation) -> [UInt8]? {
        guard let eas = attestation.eas else { return nil }
        let domainSeparator = EIP712.hashStruct(
            type: domainType,
            fields: [
                EIP712.word(string: domainName), EIP712.word(string: eas.domainVersion),
                EIP712.word(eas.chainID), EIP712.word(eas.verifyingContract),
            ])
        var fields = [
            EIP712.word(UInt64(eas.version)), eas.schema, EIP712.word(eas.recipient),
            EIP712.word(attestation.issuedAt), EIP712.word(attestation.expiresAt ?? 0), EIP712.word(eas.revocable),
            eas.refUID, EIP712.word(bytes: data(attestation)),
        ]
        if eas.version >= 2 { fields.append(eas.salt ?? []) }
        let structHash = EIP712.hashStruct(type: attestType(version: eas.version), fields: fields)
        return EIP712.digest(domainSeparator: domainSeparator, structHash: structHash)
    }

    /// The off-chain UID as eas-sdk's `getOffchainUID` computes it: keccak256 of the packed fields, where
    /// the schema enters as the UTF-8 of its `0x…` hex text (an eas-sdk quirk kept for compatibility) and
    /// the attester as the zero address. Returned as lower-case `0x` hex.
    public static func uid(_ attestation: Attestation) -> String? {
        guard let eas = attestation.eas else { return nil }
        var packed: [UInt8] = [UInt8(eas.version >> 8), UInt8(eas.version & 0xFF)]
        packed += Array(Hex.encode(eas.schema).utf8)
        packed += eas.recipient.bytes + EthereumAddress.zero.bytes
        packed += EIP712.word(attestation.issuedAt).suffix(8) + EIP712.word(attestation.expiresAt ?? 0).suffix(8)
        packed.append(eas.revocable ? 1 : 0)
        packed += eas.refUID + data(attestation)
        if eas.version >= 2 { packed += eas.salt ?? [] }
        packed += [0, 0, 0, 0]
        return Hex.encode(Keccak256.hash(packed))
    }
}
