import TokenScriptArithmetic
import TokenScriptModel

/// The JSON wire form of a read grant: the canonical content plus `"signature": "0x…"`, one object.
///
/// Read as strictly as an attestation (the same reader): unknown or missing fields, wrong types, bad hex,
/// duplicate keys and numbers beyond 2^53 − 1 are errors naming the field.
extension ReadGrant {
    public init(json text: String) throws(AttestationDecodingError) {
        guard text.utf8.count <= Self.maximumJSONBytes else {
            throw AttestationDecodingError(
                field: "(document)", reason: "longer than \(Self.maximumJSONBytes) bytes")
        }
        try self.init(wire: try JSONReader.read(text))
    }

    /// The wire form as canonical JSON, one line.
    public var json: String {
        guard case .object(var members) = content else { return "" }
        members["signature"] = .string(Hex.encode(signature))
        return CanonicalJSON.string(.object(members))
    }

    public init(wire value: AttestationValue) throws(AttestationDecodingError) {
        var reader = try ObjectReader(value, path: "")
        let grantee = try reader.string("grantee")
        let instance = try reader.string("instance")
        guard case .array(let items) = try reader.required("interfaces") else {
            throw AttestationDecodingError(field: "interfaces", reason: "expected an array of interface names")
        }
        var interfaces: [String] = []
        for (index, item) in items.enumerated() {
            guard let name = item.stringValue else {
                throw AttestationDecodingError(field: "interfaces[\(index)]", reason: "expected a string")
            }
            interfaces.append(name)
        }
        let issuedAt = try reader.unsigned("issuedAt")
        let expiresAt = try reader.unsigned("expiresAt")
        let holder = try Self.holder(try reader.required("holder"))
        let signature = try reader.hex("signature")
        try reader.finish()
        self.init(
            grantee: grantee, instance: instance, interfaces: interfaces, issuedAt: issuedAt, expiresAt: expiresAt,
            holder: holder, signature: signature)
        if let malformed = firstMalformedField {
            throw AttestationDecodingError(field: malformed.field, reason: malformed.reason)
        }
    }

    /// `{"scheme", "key"}`: the schemes a holder signs with (`ed25519`, `eip191`, `eip712`), never `eas`.
    private static func holder(_ value: AttestationValue) throws(AttestationDecodingError) -> Issuer {
        var reader = try ObjectReader(value, path: "holder")
        let schemeText = try reader.string("scheme")
        guard let scheme = SignatureScheme(rawValue: schemeText), scheme != .eas else {
            throw AttestationDecodingError(
                field: "holder.scheme", reason: "unknown scheme \"\(schemeText)\" (expected ed25519, eip191 or eip712)")
        }
        let keyText = try reader.string("key")
        guard let holder = Issuer(scheme: scheme, key: keyText) else {
            throw AttestationDecodingError(
                field: "holder.key",
                reason: scheme == .ed25519 ? "expected 0x and 32 bytes of hex" : "expected an Ethereum address")
        }
        try reader.finish()
        return holder
    }
}
