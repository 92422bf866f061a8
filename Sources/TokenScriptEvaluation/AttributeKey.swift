import TokenScriptModel

/// An attribute's identity: its name and scope, since a card may declare an attribute the token also has.
public struct AttributeKey: Hashable, Sendable, CustomStringConvertible {
    public var scope: AttributeScope
    public var name: String

    public init(_ name: String, scope: AttributeScope = .token) {
        self.scope = scope
        self.name = name
    }

    /// `balance`, or `amount (card transfer)` for a card-local attribute.
    public var description: String {
        switch scope {
        case .token: name
        case .card(let card): "\(name) (card \(card))"
        }
    }
}

/// Every attribute definition by key, so that resolving a reference is a lookup, not a scan.
struct AttributeIndex: Sendable {
    private let definitions: [AttributeKey: AttributeDefinition]
    /// Every key, token scope first, then each card's, in document order; the first of duplicates wins.
    let keys: [AttributeKey]

    init(_ script: TokenScript) {
        var definitions: [AttributeKey: AttributeDefinition] = [:]
        var keys: [AttributeKey] = []
        for (scope, attribute) in script.allAttributes {
            let key = AttributeKey(attribute.name, scope: scope)
            guard definitions[key] == nil else { continue }
            definitions[key] = attribute
            keys.append(key)
        }
        self.definitions = definitions
        self.keys = keys
    }

    func definition(of key: AttributeKey) -> AttributeDefinition? { definitions[key] }

    func contains(_ key: AttributeKey) -> Bool { definitions[key] != nil }
}
