import TokenScriptArithmetic
import TokenScriptEthereum
import TokenScriptModel
import TokenScriptJSON

/// The JSON wire form: the canonical content plus `"signature": "0x…"`, one object per `.jsonl` line.
///
/// Reading is strict (unknown or missing fields, wrong types and bad hex are errors naming the field),
/// because a lenient reader would let two senders disagree about what was signed.
extension Attestation {
    public init(json text: String) throws(AttestationDecodingError) {
        try self.init(wire: try JSONReader.read(text))
    }

    /// The wire form as canonical JSON (so it is also a stable text for logs and journals).
    public var json: String {
        forms.json {
            guard case .object(var members) = content else { return "" }
            members["signature"] = .string(Hex.encode(signature))
            return CanonicalJSON.string(.object(members))
        }
    }

    public init(wire value: AttestationValue) throws(AttestationDecodingError) {
        var reader = try ObjectReader(value, path: "")
        let id = try reader.string("id")
        let topic = try reader.string("topic")
        let type = try reader.string("type")
        var issuerReader = try ObjectReader(try reader.required("issuer"), path: "issuer")
        let schemeText = try issuerReader.string("scheme")
        guard let scheme = SignatureScheme(rawValue: schemeText) else {
            throw AttestationDecodingError(field: "issuer.scheme", reason: "unknown scheme \"\(schemeText)\"")
        }
        let keyText = try issuerReader.string("key")
        guard let issuer = Issuer(scheme: scheme, key: keyText) else {
            throw AttestationDecodingError(
                field: "issuer.key",
                reason: scheme == .ed25519 ? "expected 0x and 32 bytes of hex" : "expected an Ethereum address")
        }
        try issuerReader.finish()
        let issuedAt = try reader.unsigned("issuedAt")
        let expiresAt = try reader.optional("expiresAt") == nil ? nil : try reader.unsigned("expiresAt")
        let payload = try reader.required("payload")
        let eas = try reader.optional("eas").map { (value) throws(AttestationDecodingError) in
            try EASParameters(wire: value)
        }
        let signature = try reader.hex("signature")
        try reader.finish()
        self.init(
            id: id, topic: topic, type: type, issuer: issuer, issuedAt: issuedAt, expiresAt: expiresAt,
            payload: payload, eas: eas, signature: signature)
        if let field = firstMalformedField {
            throw AttestationDecodingError(field: field, reason: "invalid value (see README.md for the rules)")
        }
    }
}

extension EASParameters {
    init(wire value: AttestationValue) throws(AttestationDecodingError) {
        var reader = try ObjectReader(value, path: "eas")
        let version = try reader.unsigned("version")
        let domainVersion = try reader.string("domainVersion")
        let chainID = try reader.unsigned("chainId")
        let verifyingContract = try reader.address("verifyingContract")
        let schema = try reader.hex("schema")
        let recipient = try reader.address("recipient")
        guard let revocable = try reader.required("revocable").boolValue else {
            throw AttestationDecodingError(field: "eas.revocable", reason: "expected true or false")
        }
        let refUID = try reader.hex("refUID")
        let salt = try reader.optional("salt") == nil ? nil : try reader.hex("salt")
        try reader.finish()
        guard version <= UInt64(UInt16.max) else {
            throw AttestationDecodingError(field: "eas.version", reason: "expected 1 or 2")
        }
        self.init(
            version: UInt16(version), domainVersion: domainVersion, chainID: chainID,
            verifyingContract: verifyingContract, schema: schema, recipient: recipient, revocable: revocable,
            refUID: refUID, salt: salt)
    }
}

/// Reads the members of one JSON object, remembering which were used so leftovers can be reported.
/// Shared with the read grant's wire form (`ReadGrantWireFormat`), so both are read by the same strict rules.
struct ObjectReader {
    let members: [JSONKey: AttestationValue]
    let path: String
    var used: Set<JSONKey> = []

    init(_ value: AttestationValue, path: String) throws(AttestationDecodingError) {
        guard case .object(let members) = value else {
            throw AttestationDecodingError(field: path.isEmpty ? "(document)" : path, reason: "expected an object")
        }
        self.members = members
        self.path = path
    }

    func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    mutating func optional(_ name: String) throws(AttestationDecodingError) -> AttestationValue? {
        used.insert(JSONKey(name))
        return members[JSONKey(name)]
    }

    mutating func required(_ name: String) throws(AttestationDecodingError) -> AttestationValue {
        guard let value = try optional(name) else {
            throw AttestationDecodingError(field: field(name), reason: "missing")
        }
        return value
    }

    mutating func string(_ name: String) throws(AttestationDecodingError) -> String {
        guard let text = try required(name).stringValue else {
            throw AttestationDecodingError(field: field(name), reason: "expected a string")
        }
        return text
    }

    mutating func unsigned(_ name: String) throws(AttestationDecodingError) -> UInt64 {
        guard let number = try required(name).integerValue else {
            throw AttestationDecodingError(field: field(name), reason: "expected a non-negative integer")
        }
        do {
            return try CheckedConversion.integer(
                number, field: field(name), in: 0...UInt64(AttestationValue.maximumInteger))
        } catch {
            throw AttestationDecodingError(range: error)
        }
    }

    mutating func hex(_ name: String) throws(AttestationDecodingError) -> [UInt8] {
        let text = try string(name)
        guard text.hasPrefix("0x"), let bytes = Hex.decode(text) else {
            throw AttestationDecodingError(field: field(name), reason: "expected 0x-prefixed hex")
        }
        return bytes
    }

    mutating func address(_ name: String) throws(AttestationDecodingError) -> EthereumAddress {
        guard let address = EthereumAddress(try string(name)) else {
            throw AttestationDecodingError(field: field(name), reason: "expected an Ethereum address")
        }
        return address
    }

    func finish() throws(AttestationDecodingError) {
        if let extra = members.keys.filter({ !used.contains($0) }).sorted().first {
            throw AttestationDecodingError(
                field: JSONPath([.key(extra)]).described(under: path), reason: "unknown field")
        }
    }
}
