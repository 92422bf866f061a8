import TokenScriptModel

/// What a name in `ref=`, `local-ref=`, a `ts:data ref` path or `${…}` stands for.
///
/// The one place scoping rules live, so the dependency graph and the evaluator cannot disagree.
public enum DependencyNode: Hashable, Sendable, CustomStringConvertible {
    case attribute(AttributeKey)
    /// `tokenId`, `ownerAddress`, `walletAddress`, `contractAddress`, `contractAddress_<Name>[_<chainId>]`.
    case special(String)
    /// A value the user or the card supplies: a `ts:user-entry` attribute's entry, or an undeclared `local-ref`.
    case userInput(String)
    /// A name nothing defines.
    case unknown(String)

    public var description: String {
        switch self {
        case .attribute(let key): key.description
        case .special(let name), .userInput(let name), .unknown(let name): name
        }
    }
}

enum ReferenceResolver {
    /// Special refs first (as engine-js checks them), then for `ref` the card's attribute and else the
    /// token's; for `local-ref` the card's (or, at token scope, the token's) attribute and else a user input.
    static func resolve(_ name: String, local: Bool, from scope: AttributeScope, in index: AttributeIndex)
        -> DependencyNode
    {
        if SpecialReference.isSpecial(name) { return .special(name) }
        if case .card = scope, index.contains(AttributeKey(name, scope: scope)) {
            return .attribute(AttributeKey(name, scope: scope))
        }
        if !local || scope == .token, index.contains(AttributeKey(name)) {
            return .attribute(AttributeKey(name))
        }
        return local ? .userInput(name) : .unknown(name)
    }

    /// The names an attribute's (first) origin reads, with whether each is a `local-ref`.
    static func references(of definition: AttributeDefinition) -> [(name: String, local: Bool)] {
        func argument(_ data: DataArgument) -> [(String, Bool)] {
            switch data.source {
            case .literal: []
            case .reference(let name): [(name, false)]
            case .localReference(let name): [(name, true)]
            }
        }
        switch definition.origin {
        case .call(let call)?: return call.arguments.flatMap(argument)
        case .event(let event)?: return event.filter.flatMap(\.referencedNames).map { ($0, false) }
        case .tokenID?: return [("tokenId", false)]
        case .literal(let data)?: return argument(data)
        case .path(let path)?: return [(path.attribute, false)]
        case .attributeReference(let name)?: return [(name, false)]
        case .userEntry?, .storage?, nil: return []
        }
    }

    /// The direct dependencies of an attribute; a user-entry attribute depends on its own entry.
    static func dependencies(of key: AttributeKey, in index: AttributeIndex) -> [DependencyNode] {
        guard let definition = index.definition(of: key) else { return [] }
        var nodes: [DependencyNode] = []
        if case .userEntry? = definition.origin { nodes.append(.userInput(key.name)) }
        for (name, local) in references(of: definition) {
            let node = resolve(name, local: local, from: key.scope, in: index)
            if !nodes.contains(node) { nodes.append(node) }
        }
        return nodes
    }
}
