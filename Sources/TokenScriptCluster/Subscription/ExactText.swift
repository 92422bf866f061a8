/// Text compared, hashed and ordered by its UTF-8 bytes: topics and instance ids as routing keys.
///
/// Swift `String` equality is Unicode canonical equivalence, so `"LH400é"` (NFC) and `"LH400e\u{301}"`
/// (NFD) are one `String` key, and a `[String: …]` index would route one flight's attestations to the
/// other's instances. Every node must route by the same bytes the issuer signed, so routing keys are bytes
/// (as `TokenScriptJSON.JSONKey` is for JSON members).
public struct ExactText: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The UTF-8 bytes, exactly as given.
    public let bytes: [UInt8]

    public init(_ text: some StringProtocol) { bytes = Array(text.utf8) }

    /// A routing key from raw bytes: a slice of a topic probed against the prefix index.
    public init(bytes: some Collection<UInt8>) { self.bytes = Array(bytes) }

    public var description: String { String(decoding: bytes, as: UTF8.self) }

    public static func < (lhs: ExactText, rhs: ExactText) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}
