/// Everything one evaluation produced: each attribute's value or error, selections, and card availability.
public struct EvaluationReport: Sendable {
    /// The block of the token's chain all reads were made at (nil when the chain could not be reached).
    public var block: UInt64?
    /// By attribute name; in a card evaluation the card's attributes replace token ones of the same name,
    /// as the card's view sees them.
    public var attributes: [String: Result<EvaluatedAttribute, EvaluationError>]
    /// Whether each selection holds for the token.
    public var selections: [String: Bool]
    public var cards: [String: CardAvailability]

    public init(
        block: UInt64?, attributes: [String: Result<EvaluatedAttribute, EvaluationError>],
        selections: [String: Bool], cards: [String: CardAvailability]
    ) {
        self.block = block
        self.attributes = attributes
        self.selections = selections
        self.cards = cards
    }

    /// The value of an attribute, or nil when it failed or was not evaluated.
    public func value(_ name: String) -> AttributeValue? {
        try? attributes[name]?.get().value
    }

    /// The error of an attribute, or nil when it has a value or was not evaluated.
    public func error(_ name: String) -> EvaluationError? {
        guard case .failure(let error)? = attributes[name] else { return nil }
        return error
    }
}

/// Whether a card can be used for the token, and if not, the text to show.
public struct CardAvailability: Sendable, Hashable {
    public var available: Bool
    /// The label of the excluding selection (in the context's language), when unavailable.
    public var reason: String?

    public init(available: Bool, reason: String? = nil) {
        self.available = available
        self.reason = reason
    }

    public static let available = CardAvailability(available: true)
}
