/// A named condition over a token's attributes (`ts:selection`), used to disable cards (`exclude`).
public struct Selection: Sendable, Hashable, Codable {
    /// `name=` (or `id=` before 2020/06).
    public var name: String
    public var label: LocalizedText
    /// `ts:denial`: why the card is not available, shown to the user.
    public var denial: LocalizedText
    /// The filter as written.
    public var filterText: String
    /// The parsed filter; nil only when the text does not parse (reported as a diagnostic).
    public var filter: FilterExpression?
    public var location: SourceLocation?

    public init(
        name: String, label: LocalizedText = .init([]), denial: LocalizedText = .init([]), filterText: String,
        filter: FilterExpression?, location: SourceLocation? = nil
    ) {
        self.name = name
        self.label = label
        self.denial = denial
        self.filterText = filterText
        self.filter = filter
        self.location = location
    }
}
