import TokenScriptModel

extension AttributeEvaluator {
    /// Whether a card can be used (engine-js `Card.isEnabledOrReason`): the token's origin must be one the
    /// card lists, and no `exclude` selection may hold. The reason is the excluding selection's label.
    ///
    /// An `exclude` naming no selection, or one whose filter does not parse, disables the card (fail
    /// closed): libxml2 does not check these IDREFs, and enabling a guarded action by mistake is worse.
    func availability(of card: Card, selections: [String: Bool], run: EvaluationRun, context: EvaluationContext) async
        -> CardAvailability
    {
        if !card.origins.isEmpty, let origin = context.tokenOrigin, !card.origins.contains(origin) {
            return CardAvailability(available: false, reason: "only for \(card.origins.joined(separator: ", ")) tokens")
        }
        for name in card.exclude {
            let holds: Bool? =
                if let known = selections[name] { known } else { await selectionHolds(name, card: card, run: run) }
            guard let holds else {
                return CardAvailability(available: false, reason: "selection '\(name)' is missing or does not parse")
            }
            if holds {
                let selection = tokenScript.selection(named: name) ?? card.selections.first { $0.name == name }
                let reason =
                    selection?.label.text(preferring: context.languages)
                    ?? selection?.denial.text(preferring: context.languages) ?? name
                return CardAvailability(available: false, reason: reason)
            }
        }
        return .available
    }
}
