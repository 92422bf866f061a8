import TokenScriptArithmetic

/// An object member name, compared, hashed and ordered by its UTF-8 bytes.
///
/// Swift `String` equality is Unicode canonical equivalence, so `"é"` (NFC) and `"e\u{301}"` (NFD) are one
/// `String` key and a `[String: …]` silently merges them. Replicas must agree on every byte, so member
/// names are bytes: two keys are equal only when their bytes are, and order is bytewise (which is also
/// Unicode scalar order). The bytes are always valid UTF-8 (the reader and `init(_:)` guarantee it).
public struct JSONKey: Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The key's UTF-8 bytes, exactly as read or given.
    public let bytes: [UInt8]

    public func hash(into hasher: inout Hasher) { hasher.combine(byteString: bytes) }

    /// A key with the exact UTF-8 bytes of `string` (no normalisation).
    public init(_ string: String) { bytes = Array(string.utf8) }

    public init(stringLiteral value: String) { self.init(value) }

    /// A key from bytes, or nil when they are not valid UTF-8. Not generic, so a caller in another module
    /// gets this module's specialised check, and all-ASCII bytes (most keys) are checked in one pass.
    public init?(bytes: [UInt8]) {
        let ascii = bytes.withUnsafeBufferPointer { buffer in buffer.allSatisfy { $0 < 0x80 } }
        guard ascii || UTF8Validation.isValid(bytes) else { return nil }
        self.bytes = bytes
    }

    /// A key from bytes, or nil when they are not valid UTF-8.
    public init?(bytes: some Collection<UInt8>) {
        guard UTF8Validation.isValid(bytes) else { return nil }
        self.bytes = Array(bytes)
    }

    /// The key as text; its `utf8` view is exactly `bytes`.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { string }

    public static func < (lhs: JSONKey, rhs: JSONKey) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

extension Dictionary where Key == JSONKey {
    /// The member whose key has exactly the UTF-8 bytes of `name` (no Unicode normalisation), for
    /// code that names members with Swift strings.
    public subscript(_ name: String) -> Value? {
        get { self[JSONKey(name)] }
        set { self[JSONKey(name)] = newValue }
    }

    /// Members keyed by the exact bytes of Swift strings. A `[String: …]` has already merged keys that
    /// are canonically equivalent, so use this only for names chosen by the program, not read from input.
    /// Inlinable so each use is specialised: a generic call looks up tuple and dictionary metadata at run time,
    /// and this runs for every attestation and instance value built.
    @inlinable
    public init(textKeys members: [String: Value]) {
        self.init(minimumCapacity: members.count)
        for (key, value) in members { self[JSONKey(key)] = value }
    }
}
