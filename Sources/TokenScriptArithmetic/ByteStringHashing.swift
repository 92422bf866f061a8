extension Hasher {
    /// Feeds a byte string to the hasher in one call, its length first (so keys of several byte strings cannot
    /// collide by moving bytes from one to the next). `[UInt8]`'s own `hash(into:)` feeds it one byte per call,
    /// which made hashing the long keys of the node's caches (grants, signatures, JSON member names) a visible
    /// share of every request.
    public mutating func combine(byteString bytes: [UInt8]) {
        combine(bytes.count)
        bytes.withUnsafeBytes { combine(bytes: $0) }
    }
}
