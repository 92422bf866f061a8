/// A holder's permission for one integrator to read one token instance through named interfaces until an expiry:
/// the car-rental site reading the flight ticket the traveller shared with it.
///
/// Plain data: reading one (`init(json:)`) checks only its shape. Whether it lets a read through is decided by
/// `ReadGrantVerifier` against the instance's current holder, the requested interface and the time.
public struct ReadGrant: Hashable, Sendable {
    /// The interface name that grants every read-only interface of the instance; allowed only alone.
    public static let everyInterface = "*"
    /// At most this many interface names, so a grant stays a small header-sized value.
    public static let maximumInterfaces = 64
    /// The wire form's cap: a grant longer than this is refused before it is parsed.
    public static let maximumJSONBytes = 16 * 1024

    /// Who may read: the integrator's name or key, as the node will know it (e.g. `car-rental.example`).
    public var grantee: String
    /// The token instance the grant is for (e.g. `ticket-LH2024-12A`).
    public var instance: String
    /// The read-only interfaces the grantee may call, or `["*"]` for all of them.
    public var interfaces: [String]
    /// Unix seconds.
    public var issuedAt: UInt64
    /// Unix seconds from which the grant no longer holds; later than `issuedAt`. Always present: a read grant
    /// that never ends would outlive the holder's wish to share.
    public var expiresAt: UInt64
    /// The holder who signs: an Ed25519 key, or an Ethereum address signing with `eip191` or `eip712`.
    public var holder: Issuer
    /// 64 bytes for Ed25519, 65 (`r ‖ s ‖ v`) for the Ethereum schemes.
    public var signature: [UInt8]

    public init(
        grantee: String, instance: String, interfaces: [String], issuedAt: UInt64, expiresAt: UInt64,
        holder: Issuer, signature: [UInt8] = []
    ) {
        self.grantee = grantee
        self.instance = instance
        self.interfaces = interfaces
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.holder = holder
        self.signature = signature
    }

    /// Whether `interface` is among the granted ones (or everything is granted).
    public func grants(_ interface: String) -> Bool {
        interfaces == [Self.everyInterface] || interfaces.contains(interface)
    }

    /// The first field no valid grant can have, with why, or nil; the wire reader and the verifier both use
    /// it, so a hand-built value is held to the same rules as a parsed one.
    public var firstMalformedField: (field: String, reason: String)? {
        let limit = UInt64(AttestationValue.maximumInteger)
        if !Self.isName(grantee) { return ("grantee", "expected 1 to 256 bytes") }
        if !Self.isName(instance) { return ("instance", "expected 1 to 256 bytes") }
        if interfaces.isEmpty || interfaces.count > Self.maximumInterfaces {
            return ("interfaces", "expected 1 to \(Self.maximumInterfaces) interface names")
        }
        for (index, name) in interfaces.enumerated() {
            let field = "interfaces[\(index)]"
            if !Self.isName(name) { return (field, "expected 1 to 256 bytes") }
            if name.contains("*") && (name != Self.everyInterface || interfaces.count > 1) {
                return (field, "\"*\" grants every interface and must stand alone")
            }
            if interfaces[..<index].contains(name) { return (field, "\"\(name)\" is listed twice") }
        }
        if issuedAt > limit { return ("issuedAt", "\(issuedAt) is out of range (0…\(limit))") }
        if expiresAt > limit { return ("expiresAt", "\(expiresAt) is out of range (0…\(limit))") }
        if expiresAt <= issuedAt { return ("expiresAt", "must be later than issuedAt \(issuedAt)") }
        if holder.scheme == .eas { return ("holder.scheme", "eas is for attestations; use eip191 or eip712") }
        let expectedLength = holder.scheme == .ed25519 ? 64 : 65
        if signature.count != expectedLength { return ("signature", "expected \(expectedLength) bytes") }
        return nil
    }

    private static func isName(_ text: String) -> Bool { !text.isEmpty && text.utf8.count <= 256 }
}
