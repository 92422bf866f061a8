import TokenScriptEthereum

/// Values read from chains, shared across evaluations, tokens and attributes with the same read.
///
/// An entry remembers the block it was read at and expires after its attribute's time to live.
/// A `latest` evaluation at block B reuses an entry read at a block ≤ B until it expires (its provenance
/// then shows the older block); an evaluation pinned to block N reuses only entries read at N.
/// Concurrent requests for one key share a single read. Failures are never stored.
public actor EvaluationCache {
    struct Entry {
        var value: AttributeValue
        var block: UInt64
        var expires: Duration
        /// The attributes that used it, so that invalidating an attribute finds its entries.
        var readers: Set<AttributeKey>
    }

    /// A read's outcome and where it came from.
    public struct Lookup: Sendable {
        public var value: Result<AttributeValue, EvaluationError.Reason>
        public var block: UInt64
        public var cached: Bool
    }

    private struct ReadID: Hashable {
        var key: CacheKey
        var block: UInt64
    }

    private let clock: any EvaluationClock
    public let policy: AttributeCachePolicy
    private var entries: [CacheKey: Entry] = [:]
    private var inFlight: [ReadID: Task<Result<AttributeValue, EvaluationError.Reason>, Never>] = [:]

    public init(clock: any EvaluationClock = ContinuousEvaluationClock(), policy: AttributeCachePolicy = .init()) {
        self.clock = clock
        self.policy = policy
    }

    /// The cached value for `key` usable at `block`, else the result of `read` (stored when it succeeds).
    public func value(
        for key: CacheKey, at block: UInt64, pinned: Bool, attribute: AttributeKey,
        read: @escaping @Sendable () async -> Result<AttributeValue, EvaluationError.Reason>
    ) async -> Lookup {
        let now = await clock.now()
        let timeToLive = policy.timeToLive(for: attribute.name)
        if var entry = entries[key], now < entry.expires, pinned ? entry.block == block : entry.block <= block {
            entry.readers.insert(attribute)
            entries[key] = entry
            return Lookup(value: .success(entry.value), block: entry.block, cached: true)
        }
        let id = ReadID(key: key, block: block)
        if let running = inFlight[id] {
            return Lookup(value: await running.value, block: block, cached: false)
        }
        let task = Task { await read() }
        inFlight[id] = task
        let result = await task.value
        if case .success(let value) = result, timeToLive > .zero {
            let expires = await clock.now() + timeToLive
            if (entries[key]?.block ?? 0) <= block {
                entries[key] = Entry(value: value, block: block, expires: expires, readers: [attribute])
            }
        }
        // Cleared only once the entry is stored, so no reader arriving in between starts a second read.
        inFlight[id] = nil
        return Lookup(value: result, block: block, cached: false)
    }

    /// Drops the entries the given attributes read.
    public func invalidate(_ attributes: Set<AttributeKey>) {
        entries = entries.filter { $0.value.readers.isDisjoint(with: attributes) }
    }

    /// Drops what depends on a changed input (a user entry, `tokenId`, an attribute) according to `graph`,
    /// including the input's own entries when it is an attribute.
    public func invalidate(dependentsOf input: String, in graph: DependencyGraph) {
        invalidate(graph.dependents(ofInput: input))
    }

    /// Drops everything read from a contract, e.g. after a transaction to it.
    public func invalidate(contract: EthereumAddress, chainID: UInt64) {
        entries = entries.filter { $0.key.contract != contract || $0.key.chainID != chainID }
    }

    public func removeAll() { entries = [:] }

    /// The number of stored values.
    public var count: Int { entries.count }
}
