/// One signed statement by an issuer about a topic, e.g. "flight LH400 on 2026-11-22 is delayed 90 min".
///
/// Plain data: reading one (`init(json:)`) checks only its shape. Whether it may trigger anything is
/// decided by `AttestationVerifier` against a `TrustConfiguration`.
public struct Attestation: Hashable, Sendable {
    /// Chosen by the issuer and covered by the signature; unique per issuer's claim. Duplicates and replays
    /// are detected by it. For EAS it must be the EAS off-chain UID.
    public var id: String { didSet { forms = AttestationForms() } }
    /// What the attestation is about, e.g. `flight-status/LH400/2026-11-22`. Never contains `*`.
    public var topic: String { didSet { forms = AttestationForms() } }
    /// What kind of statement it is, e.g. `delay`.
    public var type: String { didSet { forms = AttestationForms() } }
    public var issuer: Issuer { didSet { forms = AttestationForms() } }
    /// Unix seconds.
    public var issuedAt: UInt64 { didSet { forms = AttestationForms() } }
    /// Unix seconds after which it no longer holds; nil for never. Later than `issuedAt`.
    public var expiresAt: UInt64? { didSet { forms = AttestationForms() } }
    public var payload: AttestationValue { didSet { forms = AttestationForms() } }
    /// Present exactly when `issuer` is `.eas`.
    public var eas: EASParameters? { didSet { forms = AttestationForms() } }
    /// 64 bytes for Ed25519, 65 (`r ‖ s ‖ v`) for the Ethereum schemes.
    public var signature: [UInt8] { didSet { forms = AttestationForms() } }
    /// Its encodings, built once (`AttestationForms`); not part of its value.
    var forms = AttestationForms()

    public init(
        id: String, topic: String, type: String, issuer: Issuer, issuedAt: UInt64, expiresAt: UInt64? = nil,
        payload: AttestationValue, eas: EASParameters? = nil, signature: [UInt8] = []
    ) {
        self.id = id
        self.topic = topic
        self.type = type
        self.issuer = issuer
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.payload = payload
        self.eas = eas
        self.signature = signature
    }

    public static func == (lhs: Attestation, rhs: Attestation) -> Bool {
        lhs.id == rhs.id && lhs.topic == rhs.topic && lhs.type == rhs.type && lhs.issuer == rhs.issuer
            && lhs.issuedAt == rhs.issuedAt && lhs.expiresAt == rhs.expiresAt && lhs.payload == rhs.payload
            && lhs.eas == rhs.eas && lhs.signature == rhs.signature
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(topic)
        hasher.combine(type)
        hasher.combine(issuer)
        hasher.combine(issuedAt)
        hasher.combine(expiresAt)
        hasher.combine(payload)
        hasher.combine(eas)
        hasher.combine(signature)
    }

    /// The first field whose value no valid attestation can have, or nil; the wire reader and the
    /// verifier both use it, so a hand-built value is held to the same rules as a parsed one.
    public var firstMalformedField: String? {
        let limit = Int(AttestationValue.maximumInteger)
        if id.isEmpty || id.utf8.count > 256 { return "id" }
        if topic.isEmpty || topic.utf8.count > 256 || topic.contains("*") { return "topic" }
        if type.isEmpty || type.utf8.count > 256 { return "type" }
        if issuedAt > UInt64(limit) { return "issuedAt" }
        if let expiresAt, expiresAt <= issuedAt || expiresAt > UInt64(limit) { return "expiresAt" }
        if let bad = payload.firstViolation() { return bad }
        if (issuer.scheme == .eas) != (eas != nil) { return "eas" }
        if let bad = eas?.firstViolation { return bad }
        let expectedLength = issuer.scheme == .ed25519 ? 64 : 65
        if signature.count != expectedLength { return "signature" }
        return nil
    }
}
