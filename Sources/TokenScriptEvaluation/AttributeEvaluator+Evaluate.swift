import TokenScriptModel

extension AttributeEvaluator {
    /// Evaluates attributes for one token, then selections and card availability.
    ///
    /// - Parameters:
    ///   - attributes: the names to evaluate; nil for all of the token's (and the card's). Anything they read
    ///     is evaluated too (once).
    ///   - card: a card whose local attributes are evaluated too (replacing token ones of the same name in
    ///     the report) and whose availability is assessed; with neither argument, every card is assessed
    ///     and every token-level selection evaluated.
    public func evaluate(_ context: EvaluationContext, attributes names: [String]? = nil, card: String? = nil) async
        -> EvaluationReport
    {
        let run = EvaluationRun(evaluator: self, context: context)
        return await withTaskCancellationHandler {
            await evaluate(run: run, context: context, names: names, card: card)
        } onCancel: {
            Task { await run.cancelAll() }
        }
    }

    private func evaluate(run: EvaluationRun, context: EvaluationContext, names: [String]?, card: String?) async
        -> EvaluationReport
    {
        var keys = graph.attributes.filter { $0.scope == .token }
        if let card { keys += graph.attributes.filter { $0.scope == .card(card) } }
        if let names { keys = keys.filter { names.contains($0.name) } }
        var results: [String: Result<EvaluatedAttribute, EvaluationError>] = [:]
        for name in names ?? [] where !keys.contains(where: { $0.name == name }) {
            results[name] = .failure(
                EvaluationError(attribute: name, origin: "ts:attribute", reason: .unknownReference(name)))
        }
        let outcomes = await withTaskGroup(of: (AttributeKey, Result<EvaluatedAttribute, EvaluationError>).self) {
            group in
            for key in keys { group.addTask { (key, await run.outcome(of: key)) } }
            var collected: [AttributeKey: Result<EvaluatedAttribute, EvaluationError>] = [:]
            for await (key, outcome) in group { collected[key] = outcome }
            return collected
        }
        // Card attributes replace token attributes of the same name, as the card's view sees them.
        for key in keys.sorted(by: { $0.scope == .token && $1.scope != .token }) { results[key.name] = outcomes[key] }

        let assessed: [Card] =
            if let card { tokenScript.cards.filter { $0.name == card } } else if names == nil { tokenScript.cards } else
            { [] }
        var selectionNames = names == nil && card == nil ? tokenScript.selections.map(\.name) : []
        for card in assessed { selectionNames += card.exclude.filter { !selectionNames.contains($0) } }
        var selections: [String: Bool] = [:]
        for name in selectionNames {
            if let holds = await selectionHolds(name, card: nil, run: run) { selections[name] = holds }
        }
        var cards: [String: CardAvailability] = [:]
        for card in assessed {
            cards[card.name] = await availability(of: card, selections: selections, run: run, context: context)
        }
        return EvaluationReport(
            block: await run.resolvedBlock(onChain: context.chainID), attributes: results, selections: selections,
            cards: cards)
    }

    /// Whether a selection holds: token-level first, else the card's own; nil when no such selection parses.
    func selectionHolds(_ name: String, card: Card?, run: EvaluationRun) async -> Bool? {
        let scope: AttributeScope
        let selection: Selection
        if let global = tokenScript.selection(named: name) {
            (selection, scope) = (global, .token)
        } else if let card, let local = card.selections.first(where: { $0.name == name }) {
            (selection, scope) = (local, .card(card.name))
        } else {
            return nil
        }
        guard let filter = selection.filter else { return nil }
        var values: [String: AttributeValue] = [:]
        for reference in filter.referencedAttributes {
            if let value = await filterOperand(reference, scope: scope, run: run) { values[reference] = value }
        }
        return SelectionEvaluation.holds(filter, values: values)
    }

    /// A name in a filter: a special ref or an attribute of the scope; nil when it has no value.
    private func filterOperand(_ name: String, scope: AttributeScope, run: EvaluationRun) async -> AttributeValue? {
        switch ReferenceResolver.resolve(name, local: false, from: scope, in: graph.index) {
        case .special(let special): return try? SpecialValues(evaluator: self, context: run.context).value(of: special)
        case .attribute(let key): return try? await run.outcome(of: key).get().value
        case .userInput, .unknown: return nil
        }
    }
}
