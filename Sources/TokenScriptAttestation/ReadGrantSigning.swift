import TokenScriptModel

extension ReadGrant {
    /// Versioned domain separation, distinct from `Attestation.signingPrefix`: bytes signed for a grant can
    /// never verify as an attestation, nor an attestation's as a grant.
    public static let signingPrefix = "swift-tokenscript read grant v1\n"

    /// Everything but the signature, as one object (the canonical JSON's source).
    public var content: AttestationValue {
        .object([
            "grantee": .string(grantee),
            "instance": .string(instance),
            "interfaces": .array(interfaces.map { .string($0) }),
            "issuedAt": .integer(Int64(clamping: issuedAt)),
            "expiresAt": .integer(Int64(clamping: expiresAt)),
            "holder": ["scheme": .string(holder.scheme.rawValue), "key": .string(holder.key)],
        ])
    }

    /// `signingPrefix` followed by the canonical JSON (RFC 8785) of `content`: what Ed25519 and EIP-191
    /// holders sign.
    public var signingBytes: [UInt8] {
        Array(Self.signingPrefix.utf8) + CanonicalJSON.encode(content)
    }
}

/// The `eip712` scheme for grants: the grant as EIP-712 typed data, so a wallet shows the grantee, the
/// instance, the interfaces and the expiry before the holder signs.
///
/// Same domain as attestations (`AttestationTypedData`), another primary type, so the digests never meet.
/// The holder is not a field: it is the address recovered from the signature.
public enum ReadGrantTypedData {
    public static let grantType =
        "ReadGrant(string grantee,string instance,string[] interfaces,uint64 issuedAt,uint64 expiresAt)"

    /// The 32-byte digest an `eip712` holder signs for this grant.
    public static func digest(_ grant: ReadGrant) -> [UInt8] {
        // EIP-712 encodes an array as the hash of its elements' encodings, each string as its hash.
        let interfaces = EIP712.word(bytes: Array(grant.interfaces.map { EIP712.word(string: $0) }.joined()))
        let structHash = EIP712.hashStruct(
            type: grantType,
            fields: [
                EIP712.word(string: grant.grantee),
                EIP712.word(string: grant.instance),
                interfaces,
                EIP712.word(grant.issuedAt),
                EIP712.word(grant.expiresAt),
            ])
        return EIP712.digest(domainSeparator: AttestationTypedData.domainSeparator, structHash: structHash)
    }
}

extension Ed25519AttestationSigner {
    /// `grant` with this signer as holder and a fresh signature over its signing bytes.
    public func sign(_ grant: ReadGrant) throws -> ReadGrant {
        var signed = grant
        signed.holder = issuer
        signed.signature = try signature(for: signed.signingBytes)
        return signed
    }
}

extension EthereumAttestationSigner {
    /// `grant` signed as this account under `scheme`: `eip191` (`personal_sign` of the signing bytes) or
    /// `eip712` (the `ReadGrant` typed data).
    public func sign(_ grant: ReadGrant, scheme: SignatureScheme) throws -> ReadGrant {
        var signed = grant
        let digest: [UInt8]
        switch scheme {
        case .eip191:
            signed.holder = .eip191(address)
            digest = EIP191.digest(signed.signingBytes)
        case .eip712:
            signed.holder = .eip712(address)
            digest = ReadGrantTypedData.digest(signed)
        case .ed25519, .eas:
            throw AttestationDecodingError(field: "holder.scheme", reason: "a grant is signed with eip191 or eip712")
        }
        signed.signature = try signature(digest: digest)
        return signed
    }
}
