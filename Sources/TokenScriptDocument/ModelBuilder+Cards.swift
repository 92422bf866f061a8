import TokenScriptModel
import TokenScriptXML

extension ModelBuilder {
    func readCards(_ element: XMLElement, into script: inout TokenScript) {
        var position = 0
        for child in tokenScriptChildren(of: element) {
            switch child.localName {
            // `ts:token` is the token card of 2019/10 and 2020/03 (`<ts:cards><ts:token>`).
            case "card", "token-card", "token", "action":
                position += 1
                var contracts: [Contract] = []
                script.cards.append(card(child, position: position, isRoot: false, contracts: &contracts))
                script.contracts += contracts
            case "viewContent":
                if let name = required("name", of: child) {
                    let (markup, includes) = viewBody(child)
                    script.viewContents.append(ViewContent(name: name, markup: markup, includes: includes))
                }
            default: unknown(child, in: element)
            }
        }
    }

    /// A card in any spelling. Cards without a name (before late 2020) are named `<type><position>`, e.g. `action2`.
    func card(_ element: XMLElement, position: Int, isRoot: Bool, contracts: inout [Contract]) -> Card {
        checkAttributes(element, ["type", "name", "exclude", "origins", "buttonClass"])
        let kind: Card.Kind =
            switch element.localName {
            case "token-card", "token": .token
            case "action": .action
            default: Card.Kind(element.attribute("type") ?? (isRoot ? "action" : "token"))
            }
        if case .other(let text) = kind {
            complain(
                .invalidValue, "card type '\(text)' is not token, action, activity, onboarding or public", at: element)
        }
        var card = Card(
            name: element.attribute("name") ?? "\(kind)\(position)", kind: kind, exclude: list(element, "exclude"),
            origins: list(element, "origins"), buttonClass: element.attribute("buttonClass"),
            location: modelLocation(element))
        for child in element.elements {
            if isSignature(child) && isRoot { continue }
            if isEthereum(child), child.localName == "transaction" {  // 2019 action cards
                card.transaction = transaction(child)
                continue
            }
            guard isTokenScript(child) else {
                unknown(child, in: element)
                continue
            }
            switch child.localName {
            case "label", "name": card.label = localizedText(child)
            case "exclude": if let name = required("selection", of: child) { card.exclude.append(name) }
            case "attribute": if let attribute = attribute(child) { card.attributes.append(attribute) }
            case "attribute-type": if let attribute = legacyAttribute(child) { card.attributes.append(attribute) }
            case "selection": if let selection = selection(child) { card.selections.append(selection) }
            case "origins":
                for origin in child.elements {
                    if isEthereum(origin), origin.localName == "event" {
                        if let event = event(origin) { card.eventOrigins.append(event) }
                    } else {
                        unknown(origin, in: child)
                    }
                }
            case "transaction":
                for item in child.elements {
                    if (isEthereum(item) && item.localName == "transaction") || isTokenScript(item, "ethereum") {
                        card.transaction = transaction(item)
                    } else {
                        unknown(item, in: child)
                    }
                }
            case "view": card.views.append(view(child, kind: .view))
            case "item-view", "view-iconified": card.views.append(view(child, kind: .itemView))
            case "guide-view": card.views.append(view(child, kind: .guideView))
            case "input":
                for token in child.elements where isTokenScript(token, "token") {
                    for chain in token.elements where isTokenScript(chain, "ethereum") {
                        if let network = chain.attribute("network") { card.inputNetworks.append(network) }
                    }
                }
            case "output": break  // action-only scripts: what the action produces, read by no runtime
            case "contract" where isRoot: contracts.append(contract(child))
            default: unknown(child, in: element)
            }
        }
        return card
    }

    private func view(_ element: XMLElement, kind: View.Kind) -> View {
        checkAttributes(element, ["url", "urlFragment", "uiButton", "fullScreen"])
        let (markup, includes) = viewBody(element)
        var references: [String] = []
        for child in element.elements where isTokenScript(child, "viewContent") {
            if let name = required("name", of: child) { references.append(name) }
        }
        return View(
            kind: kind, language: element.language, url: element.attribute("url"),
            urlFragment: element.attribute("urlFragment"), uiButton: boolean(element, "uiButton"),
            fullScreen: boolean(element, "fullScreen"), markup: markup, viewContentReferences: references,
            includes: includes)
    }

    /// The opaque markup of a view, with `ts:include` files read from the document's directory.
    /// The view's children as one UTF-8 buffer without surrounding whitespace, and its includes.
    ///
    /// Views can be megabytes: the markup pieces are appended once into a buffer sized up front,
    /// and never validated or copied again here.
    private func viewBody(_ element: XMLElement) -> ([UInt8], [View.Include]) {
        var content: [UInt8] = []
        content.reserveCapacity(
            element.children.reduce(0) { total, child in
                if case .markup(let markup) = child { return total + markup.bytes.count }
                return total
            })
        var includes: [View.Include] = []
        func appendText(_ text: Substring.UTF8View) {
            content += content.isEmpty ? text.drop(while: Self.isSpace) : text[...]
        }
        for child in element.children {
            switch child {
            case .markup(let markup): content += markup.bytes
            case .text(let text): appendText(Substring(text).utf8)
            case .element(let item):
                if isTokenScript(item, "include") {
                    let include = self.include(item)
                    if let text = include.content { appendText(Substring(text).utf8) }
                    includes.append(include)
                } else if isTokenScript(item, "viewContent") {
                    continue
                } else if isTokenScript(item) || isEthereum(item) {
                    unknown(item, in: element)
                } else {
                    appendText(Substring(item.markup).utf8)
                }
            }
        }
        while let last = content.last, Self.isSpace(last) { content.removeLast() }
        return (content, includes)
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// Reads a `ts:include` through the same confinement rule as entities: inside the document's directory only.
    private func include(_ element: XMLElement) -> View.Include {
        checkAttributes(element, ["type", "src"])
        let type = element.attribute("type")
        guard let source = required("src", of: element) else {
            return View.Include(type: type, source: "", content: nil)
        }
        let confinement = ConfinedPath(directory: xml.baseDirectory)
        switch confinement.resolve(source) {
        case .network:
            error(.forbiddenAccess, "ts:include '\(source)' refused: network access is disabled", at: element)
        case .outside:
            error(
                .forbiddenAccess, "ts:include '\(source)' refused: it is outside the document's directory", at: element)
        case .missing:
            warn(
                .missingResource, "ts:include '\(source)' not found; the view is kept without it (unbuilt source?)",
                at: element)
        case .allowed(let path):
            // Once the budget is spent, later includes are not read: the first refusal says why.
            guard substitution.used <= substitution.limit else { break }
            switch IncludeFile.read(path, limit: 4 << 20) {
            case .success(let text):
                // Includes share the document's budget with its entity expansions, counted at each include.
                guard substitution.charge(text.utf8.count) else {
                    error(
                        .limit,
                        "ts:include '\(source)' (\(text.utf8.count) bytes) would bring the document's substituted and "
                            + "included bytes to at least \(substitution.used), \(substitution.explanation)",
                        at: element)
                    return View.Include(type: type, source: source, content: nil)
                }
                return View.Include(type: type, source: source, content: text)
            case .failure(let reason):
                error(
                    reason.isLimit ? .limit : .forbiddenAccess, "ts:include '\(source)': \(reason.message)", at: element
                )
            }
        }
        return View.Include(type: type, source: source, content: nil)
    }

    func selection(_ element: XMLElement) -> Selection? {
        checkAttributes(element, ["name", "id", "filter"])
        guard let name = element.attribute("name") ?? element.attribute("id") else {
            error(.invalidValue, "<\(element.qualifiedName)> needs a 'name' attribute", at: element)
            return nil
        }
        var label = LocalizedText([])
        var denial = LocalizedText([])
        var filterText = element.attribute("filter")
        for child in tokenScriptChildren(of: element) {
            switch child.localName {
            case "label", "name": label = localizedText(child)
            case "denial": denial = localizedText(child)
            case "filter": filterText = trimmedText(child)
            default: unknown(child, in: element)
            }
        }
        guard let filterText else {
            error(.invalidValue, "selection '\(name)' has no filter", at: element)
            return nil
        }
        var filter: FilterExpression?
        do {
            filter = try FilterParser.parse(filterText)
        } catch {
            complain(
                .invalidValue,
                "selection '\(name)': filter \"\(filterText)\": \(error.message) at offset \(error.offset)", at: element
            )
        }
        return Selection(
            name: name, label: label, denial: denial, filterText: filterText, filter: filter,
            location: modelLocation(element))
    }

    func transaction(_ element: XMLElement) -> EthereumTransaction {
        checkAttributes(element, ["contract", "function", "as"])
        var transaction = EthereumTransaction(
            contract: element.attribute("contract"), function: element.attribute("function"),
            conversion: conversion(element))
        for child in element.elements {
            if isTokenScript(child, "data") {
                transaction.arguments += dataArguments(child)
            } else if isValueOrTo(child, "value") {
                checkAttributes(child, ["ref", "local-ref"])
                let source: DataArgument.Source =
                    child.attribute("ref").map { .reference($0) }
                    ?? child.attribute("local-ref").map { .localReference($0) } ?? .literal(trimmedText(child))
                transaction.value = DataArgument(type: "uint256", source: source)
            } else if isValueOrTo(child, "to") {
                transaction.to = child.attribute("ref") ?? child.attribute("local-ref") ?? trimmedText(child)
            } else {
                unknown(child, in: element)
            }
        }
        if transaction.function == nil && transaction.to == nil {
            complain(.invalidValue, "<\(element.qualifiedName)> has neither a function nor ethereum:to", at: element)
        }
        return transaction
    }

    /// `ethereum:value`/`ethereum:to` (2020/06 and later), or `ts:value`/`ts:to`, their spelling inside the
    /// `ts:ethereum` transactions of 2019/05 to 2020/03.
    private func isValueOrTo(_ element: XMLElement, _ localName: String) -> Bool {
        element.localName == localName && (isEthereum(element) || isTokenScript(element))
    }

    func namedTransaction(_ element: XMLElement) -> NamedTransaction? {
        checkAttributes(element, ["name"])
        guard let name = required("name", of: element) else { return nil }
        var result: NamedTransaction?
        for child in element.elements {
            if (isEthereum(child) && child.localName == "transaction") || isTokenScript(child, "ethereum") {
                result = NamedTransaction(name: name, transaction: transaction(child), location: modelLocation(element))
            } else {
                unknown(child, in: element)
            }
        }
        if result == nil { error(.invalidValue, "transaction '\(name)' has no ethereum:transaction", at: element) }
        return result
    }

    /// Views that name a `ts:viewContent` which does not exist are reported once, with the card.
    func resolveViewContentReferences(in script: TokenScript) {
        let names = Set(script.viewContents.map(\.name))
        for card in script.cards {
            for view in card.views {
                for reference in view.viewContentReferences where !names.contains(reference) {
                    diagnostics.append(
                        Diagnostic(
                            strict ? .error : .warning, .invalidValue,
                            "card '\(card.name)' uses ts:viewContent '\(reference)', which is not defined",
                            at: card.location))
                }
            }
        }
        let selections = Set(script.selections.map(\.name))
        for card in script.cards {
            for name in card.exclude
            where !selections.contains(name) && !card.selections.contains(where: { $0.name == name }) {
                diagnostics.append(
                    Diagnostic(
                        strict ? .error : .warning, .invalidValue,
                        "card '\(card.name)' excludes selection '\(name)', which is not defined", at: card.location))
            }
        }
    }
}
