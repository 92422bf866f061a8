/// The bytes a document may pull in besides its own: entity expansions and included files, all together.
///
/// Each external entity or `ts:include` file is capped on its own, but a small document can name one
/// big file hundreds of times (400 references to a 4 MiB file reached 3.3 GB). Every expansion is
/// charged here at the size it expands to — an entity each time it is referenced (nested references
/// included), an external parameter entity each time it is loaded, an include each time it is read —
/// and the read stops with a located `limit` error once the total passes `limit`.
public struct SubstitutionBudget: Sendable, Hashable {
    public let limit: Int
    public private(set) var used: Int = 0

    public init(limit: Int) {
        self.limit = limit
    }

    /// Adds `bytes` (saturating); false once the total is over the limit.
    public mutating func charge(_ bytes: Int) -> Bool {
        let (sum, overflow) = used.addingReportingOverflow(max(bytes, 0))
        used = overflow ? Int.max : sum
        return used <= limit
    }

    /// The sentence every over-budget message ends with.
    public var explanation: String {
        "over the limit of \(limit) substituted and included bytes per document "
            + "(entities count each time they are expanded, includes each time they are read)"
    }
}
