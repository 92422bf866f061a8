import Crypto
import TokenScriptArithmetic
import TokenScriptEthereum

extension Attestation {
    /// Versioned domain separation: bytes signed for an attestation can never be mistaken for another
    /// message of ours or of a later encoding version.
    public static let signingPrefix = "swift-tokenscript attestation v1\n"

    /// Everything but the signature, as one `AttestationValue` object (the canonical JSON's source).
    /// Absent optional fields are omitted, not written as null.
    public var content: AttestationValue {
        var members: [String: AttestationValue] = [
            "id": .string(id),
            "topic": .string(topic),
            "type": .string(type),
            "issuer": ["scheme": .string(issuer.scheme.rawValue), "key": .string(issuer.key)],
            "issuedAt": .integer(Int64(clamping: issuedAt)),
            "payload": payload,
        ]
        if let expiresAt { members["expiresAt"] = .integer(Int64(clamping: expiresAt)) }
        if let eas { members["eas"] = eas.content }
        return .object(members)
    }

    /// `signingPrefix` followed by the canonical JSON of `content`: what Ed25519 and EIP-191 issuers sign,
    /// and what two attestations must share to count as the same.
    public var signingBytes: [UInt8] {
        forms.signingBytes { Array(Self.signingPrefix.utf8) + CanonicalJSON.encode(content) }
    }

    /// SHA-256 of `signingBytes`: equal digests under one id make a duplicate, different ones a replay.
    public var contentDigest: [UInt8] { forms.contentDigest { Array(SHA256.hash(data: signingBytes)) } }
}

extension EASParameters {
    var content: AttestationValue {
        var members: [String: AttestationValue] = [
            "version": .integer(Int64(version)),
            "domainVersion": .string(domainVersion),
            "chainId": .integer(Int64(clamping: chainID)),
            "verifyingContract": .string(verifyingContract.checksummed),
            "schema": .string(Hex.encode(schema)),
            "recipient": .string(recipient.checksummed),
            "revocable": .bool(revocable),
            "refUID": .string(Hex.encode(refUID)),
        ]
        if let salt { members["salt"] = .string(Hex.encode(salt)) }
        return .object(members)
    }
}
