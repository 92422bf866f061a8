/// A unit of user-facing behaviour (`ts:card`, or `ts:token-card`/`ts:action` before 2020/06).
public struct Card: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        case token
        case action
        case activity
        case onboarding
        case `public`
        /// A `type=` value no schema defines; kept so nothing is lost.
        case other(String)

        public init(_ text: String) {
            switch text {
            case "token": self = .token
            case "action": self = .action
            case "activity": self = .activity
            case "onboarding": self = .onboarding
            case "public": self = .public
            default: self = .other(text)
            }
        }

        public var description: String {
            switch self {
            case .token: "token"
            case .action: "action"
            case .activity: "activity"
            case .onboarding: "onboarding"
            case .public: "public"
            case .other(let text): text
            }
        }
    }

    /// Nil for old anonymous cards; readers give such cards a name from their kind and position.
    public var name: String
    public var kind: Kind
    public var label: LocalizedText
    /// Selections that, when true for a token, make this card unavailable.
    public var exclude: [String]
    /// `origins=`: the token origins this card applies to (empty: all).
    public var origins: [String]
    /// `buttonClass=`: primary, secondary or featured.
    public var buttonClass: String?
    /// Card-local attributes.
    public var attributes: [AttributeDefinition]
    /// Card-level selections (engine-js ignores them; kept for completeness).
    public var selections: [Selection]
    /// An activity card's `ts:origins/ethereum:event`.
    public var eventOrigins: [EthereumEvent]
    public var transaction: EthereumTransaction?
    public var views: [View]
    /// `ts:input/ts:token/ts:ethereum network=` of action-only scripts: the chains the action applies to.
    public var inputNetworks: [String]
    public var location: SourceLocation?

    public init(
        name: String, kind: Kind, label: LocalizedText = .init([]), exclude: [String] = [], origins: [String] = [],
        buttonClass: String? = nil, attributes: [AttributeDefinition] = [], selections: [Selection] = [],
        eventOrigins: [EthereumEvent] = [], transaction: EthereumTransaction? = nil, views: [View] = [],
        inputNetworks: [String] = [], location: SourceLocation? = nil
    ) {
        self.name = name
        self.kind = kind
        self.label = label
        self.exclude = exclude
        self.origins = origins
        self.buttonClass = buttonClass
        self.attributes = attributes
        self.selections = selections
        self.eventOrigins = eventOrigins
        self.transaction = transaction
        self.views = views
        self.inputNetworks = inputNetworks
        self.location = location
    }
}

/// A card's user interface (`ts:view`, `ts:item-view`), kept as opaque markup: the server never renders it.
public struct View: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// `ts:view`: the full card.
        case view
        /// `ts:item-view` (old `ts:view-iconified`): the list entry.
        case itemView
        /// `ts:guide-view`.
        case guideView
    }

    /// A build-time include (`ts:include type= src=`), resolved relative to the document's directory.
    public struct Include: Sendable, Hashable, Codable {
        public var type: String?
        public var source: String
        /// The file's content when it was found inside the document's directory; nil for an unbuilt source.
        public var content: String?

        public init(type: String?, source: String, content: String?) {
            self.type = type
            self.source = source
            self.content = content
        }
    }

    public var kind: Kind
    public var language: String?
    public var url: String?
    public var urlFragment: String?
    public var uiButton: Bool?
    public var fullScreen: Bool?
    /// The serialized XHTML children (style, script, body …) as UTF-8: views can be megabytes of script
    /// that a server never looks at, so they are kept as bytes and decoded only when read.
    public var markup: [UInt8]

    /// The view's markup as text.
    public var content: String { String(decoding: markup, as: UTF8.self) }
    /// Names of `ts:viewContent` this view pulls in.
    public var viewContentReferences: [String]
    public var includes: [Include]

    public init(
        kind: Kind, language: String? = nil, url: String? = nil, urlFragment: String? = nil, uiButton: Bool? = nil,
        fullScreen: Bool? = nil, markup: [UInt8] = [], viewContentReferences: [String] = [], includes: [Include] = []
    ) {
        self.kind = kind
        self.language = language
        self.url = url
        self.urlFragment = urlFragment
        self.uiButton = uiButton
        self.fullScreen = fullScreen
        self.markup = markup
        self.viewContentReferences = viewContentReferences
        self.includes = includes
    }
}

/// Shared view markup that several cards reference (`ts:viewContent name=`, 2022/09+).
public struct ViewContent: Sendable, Hashable {
    public var name: String
    /// UTF-8 markup, like `View.markup`.
    public var markup: [UInt8]
    public var includes: [View.Include]

    public init(name: String, markup: [UInt8], includes: [View.Include] = []) {
        self.name = name
        self.markup = markup
        self.includes = includes
    }

    public var content: String { String(decoding: markup, as: UTF8.self) }
}

/// Views encode their markup as the text it is (`"content": "<style>…"`), not as an array of bytes.
extension View: Codable {
    enum CodingKeys: String, CodingKey {
        case kind, language, url, urlFragment, uiButton, fullScreen, content, viewContentReferences, includes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try container.decode(Kind.self, forKey: .kind),
            language: try container.decodeIfPresent(String.self, forKey: .language),
            url: try container.decodeIfPresent(String.self, forKey: .url),
            urlFragment: try container.decodeIfPresent(String.self, forKey: .urlFragment),
            uiButton: try container.decodeIfPresent(Bool.self, forKey: .uiButton),
            fullScreen: try container.decodeIfPresent(Bool.self, forKey: .fullScreen),
            markup: Array(try container.decode(String.self, forKey: .content).utf8),
            viewContentReferences: try container.decode([String].self, forKey: .viewContentReferences),
            includes: try container.decode([Include].self, forKey: .includes))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(language, forKey: .language)
        try container.encodeIfPresent(url, forKey: .url)
        try container.encodeIfPresent(urlFragment, forKey: .urlFragment)
        try container.encodeIfPresent(uiButton, forKey: .uiButton)
        try container.encodeIfPresent(fullScreen, forKey: .fullScreen)
        try container.encode(content, forKey: .content)
        try container.encode(viewContentReferences, forKey: .viewContentReferences)
        try container.encode(includes, forKey: .includes)
    }
}

extension ViewContent: Codable {
    enum CodingKeys: String, CodingKey {
        case name, content, includes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            markup: Array(try container.decode(String.self, forKey: .content).utf8),
            includes: try container.decode([View.Include].self, forKey: .includes))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(content, forKey: .content)
        try container.encode(includes, forKey: .includes)
    }
}
