/// A new instance stored at rest by `storeResting`: its head row, its journal's header line and the patterns
/// it waits on.
public struct RestingInstance: Sendable {
    public var id: String
    public var definitionID: String
    public var step: UInt64
    /// `TokenInstance.canonicalJSON`, the row's `canonical`.
    public var canonical: String
    public var journalHeader: [UInt8]
    public var patterns: [SubscriptionPattern]

    public init(
        id: String, definitionID: String, step: UInt64, canonical: String, journalHeader: [UInt8],
        patterns: [SubscriptionPattern]
    ) {
        self.id = id
        self.definitionID = definitionID
        self.step = step
        self.canonical = canonical
        self.journalHeader = journalHeader
        self.patterns = patterns
    }
}
