/// Where a value came from, so that a view or a log can say how fresh and how trustworthy it is.
public struct Provenance: Sendable, Hashable {
    /// `ethereum:call`, `ts:token-id` … (`AttributeOrigin.kind`).
    public var origin: String
    /// The block the chain data was read at; nil when no chain data went into the value.
    /// For a value derived from others (paths, refs) the newest block among its inputs.
    public var block: UInt64?
    /// True when the chain data came from the cache (for derived values: all of it did).
    public var cached: Bool

    public init(origin: String, block: UInt64?, cached: Bool) {
        self.origin = origin
        self.block = block
        self.cached = cached
    }
}

/// An attribute's final value (after mapping and syntax coercion) with its provenance.
public struct EvaluatedAttribute: Sendable, Hashable {
    public var value: AttributeValue
    public var provenance: Provenance
}
