/// A parsed TokenScript document, the same shape whatever namespace version it was written in.
///
/// This is the value every later layer reads: attribute evaluation, server-side logic, `inspect`.
/// It holds no XML and no C types, so it can cross threads and be compared in tests.
public struct TokenScript: Sendable, Hashable, Codable {
    /// What the document's root element was.
    public enum Root: String, Sendable, Hashable, Codable {
        /// `ts:token`, every modern file.
        case token
        /// `ts:card` or `ts:action` at the root: an action-only script (e.g. a bridge payment).
        case card
    }

    /// The namespace URI exactly as the document declares it.
    public var namespace: String
    public var version: SchemaVersion
    public var root: Root
    /// `name=` of `ts:token` (required since late 2020).
    public var name: String?
    /// `custodian=`.
    public var custodian: String?
    /// `ts:label` (or `ts:name` before 2020/06).
    public var label: LocalizedText
    public var meta: Meta
    public var contracts: [Contract]
    public var origins: [TokenOrigin]
    public var attributes: [AttributeDefinition]
    public var selections: [Selection]
    public var cards: [Card]
    public var viewContents: [ViewContent]
    public var transactions: [NamedTransaction]
    public var attestations: [AttestationDefinition]
    public var eventModules: [EventModule]
    /// `ts:style` (2024/01): token-level CSS.
    public var style: String?
    public var signature: SignatureInfo?
    /// `sl:server`: our server-side extension (`https://swift-tokenscript.org/server/1`), when the document has one.
    public var server: ServerExtension?

    public init(
        namespace: String, version: SchemaVersion, root: Root = .token, name: String? = nil, custodian: String? = nil,
        label: LocalizedText = .init([]), meta: Meta = .init(), contracts: [Contract] = [], origins: [TokenOrigin] = [],
        attributes: [AttributeDefinition] = [], selections: [Selection] = [], cards: [Card] = [],
        viewContents: [ViewContent] = [], transactions: [NamedTransaction] = [],
        attestations: [AttestationDefinition] = [], eventModules: [EventModule] = [], style: String? = nil,
        signature: SignatureInfo? = nil, server: ServerExtension? = nil
    ) {
        self.namespace = namespace
        self.version = version
        self.root = root
        self.name = name
        self.custodian = custodian
        self.label = label
        self.meta = meta
        self.contracts = contracts
        self.origins = origins
        self.attributes = attributes
        self.selections = selections
        self.cards = cards
        self.viewContents = viewContents
        self.transactions = transactions
        self.attestations = attestations
        self.eventModules = eventModules
        self.style = style
        self.signature = signature
        self.server = server
    }

    /// The contract holding the tokens: the first `ts:origins/ts:ethereum`, else the only contract.
    public var holdingContract: Contract? {
        for origin in origins {
            if case .contract(let name) = origin, let contract = contract(named: name) { return contract }
        }
        return contracts.count == 1 ? contracts[0] : nil
    }

    public func contract(named name: String) -> Contract? {
        contracts.first { $0.name == name }
    }

    public func selection(named name: String) -> Selection? {
        selections.first { $0.name == name }
    }

    /// The event type an `ethereum:event` names, searched across all `asnx:module`s.
    public func eventType(named name: String) -> EventModule.EventType? {
        for module in eventModules {
            if let type = module.types.first(where: { $0.name == name }) { return type }
        }
        return nil
    }

    /// Every attribute definition with its scope: token scope first, then each card's.
    public var allAttributes: [(scope: AttributeScope, attribute: AttributeDefinition)] {
        attributes.map { (AttributeScope.token, $0) }
            + cards.flatMap { card in card.attributes.map { (AttributeScope.card(card.name), $0) } }
    }
}

/// Whether an attribute belongs to the token or to one card.
public enum AttributeScope: Sendable, Hashable, CustomStringConvertible {
    case token
    case card(String)

    /// `token`, or the card's name, as `inspect --json` prints it.
    public var description: String {
        switch self {
        case .token: "token"
        case .card(let name): name
        }
    }
}
