/// The chain data that went into a value, accumulated while computing it, for its provenance.
struct ChainInputs {
    private(set) var block: UInt64?
    private var allCached = true

    /// A read made directly by this attribute.
    mutating func record(block: UInt64, cached: Bool) {
        self.block = max(self.block ?? 0, block)
        allCached = allCached && cached
    }

    /// The provenance of another attribute this one read.
    mutating func record(_ provenance: Provenance) {
        guard let block = provenance.block else { return }
        record(block: block, cached: provenance.cached)
    }

    func provenance(origin: String) -> Provenance {
        Provenance(origin: origin, block: block, cached: block != nil && allCached)
    }
}
