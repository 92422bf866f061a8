import TokenScriptArithmetic

/// The server-side logic of a token: our XML extension of TokenScript, `sl:server` in the namespace
/// `https://swift-tokenscript.org/server/1`.
///
/// Public TokenScript describes what a wallet shows and signs; it has no logic that runs on a server.
/// This extension gives each token instance a state machine driven by trusted attestations, schedules,
/// attribute changes and the outcomes of web API calls, with deterministic transitions written in Lua.
/// Runtimes that do not know the namespace ignore it, so the document stays a valid TokenScript.
/// `Sources/TokenScriptDocument/ServerExtension.md` is the reference of every element and Lua contract.
public struct ServerExtension: Sendable, Hashable, Codable {
    /// The namespace URI of version 1. The version is part of the URI: an incompatible version gets a new URI.
    public static let namespaceURI = "https://swift-tokenscript.org/server/1"
    /// Every namespace URI of ours starts with this, followed by the version number.
    public static let namespacePrefix = "https://swift-tokenscript.org/server/"

    /// The namespace URI as the document declares it.
    public var namespace: String
    /// The extension version the namespace names (1).
    public var version: Int
    /// `sl:trust`: who may sign which attestation topics.
    public var issuers: [TrustedIssuer]
    /// `sl:states initial=`: the state every new instance starts in.
    public var initialState: String
    /// `sl:states`, in document order.
    public var states: [ServerState]
    /// `sl:attribute`: values the server stores per instance.
    public var attributes: [ServerAttribute]
    /// `sl:trigger`, in document order, which is the order they are tried in.
    public var triggers: [ServerTrigger]
    /// `sl:effect`: calls to external web APIs.
    public var effects: [ServerEffect]
    /// `sl:interface`: read-only queries for integrators.
    public var interfaces: [ServerInterface]
    /// `sl:computed`: read-only attributes computed by Lua.
    public var computed: [ComputedAttribute]
    /// `sl:follow`: other instances whose changes this one follows (`sl:on-change`).
    public var follows: [FollowedToken]
    public var location: SourceLocation?

    public init(
        namespace: String = ServerExtension.namespaceURI, version: Int = 1, issuers: [TrustedIssuer] = [],
        initialState: String, states: [ServerState] = [], attributes: [ServerAttribute] = [],
        triggers: [ServerTrigger] = [], effects: [ServerEffect] = [], interfaces: [ServerInterface] = [],
        computed: [ComputedAttribute] = [], follows: [FollowedToken] = [], location: SourceLocation? = nil
    ) {
        self.namespace = namespace
        self.version = version
        self.issuers = issuers
        self.initialState = initialState
        self.states = states
        self.attributes = attributes
        self.triggers = triggers
        self.effects = effects
        self.interfaces = interfaces
        self.computed = computed
        self.follows = follows
        self.location = location
    }

    /// The version a namespace URI of ours names (`…/server/1` → 1), or nil for any other URI.
    public static func version(ofNamespace uri: String) -> Int? {
        guard uri.hasPrefix(namespacePrefix) else { return nil }
        let rest = uri.dropFirst(namespacePrefix.count)
        guard !rest.isEmpty, rest.allSatisfy(\.isASCII), rest.allSatisfy(\.isNumber), rest.first != "0" else {
            return nil
        }
        return Int(rest)
    }

    public func state(named name: String) -> ServerState? { states.first { $0.name == name } }
    public func attribute(named name: String) -> ServerAttribute? { attributes.first { $0.name == name } }
    public func trigger(named name: String) -> ServerTrigger? { triggers.first { $0.name == name } }
    public func effect(named name: String) -> ServerEffect? { effects.first { $0.name == name } }
    public func interface(named name: String) -> ServerInterface? { interfaces.first { $0.name == name } }
    public func computedAttribute(named name: String) -> ComputedAttribute? { computed.first { $0.name == name } }
    public func follow(named name: String) -> FollowedToken? { follows.first { $0.name == name } }

    /// The issuers trusted to sign attestations of `topic` (a concrete topic such as `flight-status/LH123`).
    public func issuers(trustedFor topic: String) -> [TrustedIssuer] {
        issuers.filter { issuer in issuer.topics.contains { $0.matches(topic) } }
    }
}

/// `sl:issuer`: a key trusted to sign attestations of some topics.
public struct TrustedIssuer: Sendable, Hashable, Codable {
    public var name: String
    public var scheme: SignatureScheme
    /// A 0x address for the Ethereum schemes, a hex Ed25519 public key for `ed25519`.
    public var key: String
    /// `topics=`: space-separated topic patterns.
    public var topics: [TopicPattern]
    public var location: SourceLocation?

    public init(
        name: String, scheme: SignatureScheme, key: String, topics: [TopicPattern], location: SourceLocation? = nil
    ) {
        self.name = name
        self.scheme = scheme
        self.key = key
        self.topics = topics
        self.location = location
    }
}

/// `sl:state`.
public struct ServerState: Sendable, Hashable, Codable {
    /// Where a state stands in the instance's life. Runtimes treat `expired` states as terminal.
    public enum Lifecycle: String, Sendable, Hashable, Codable, CaseIterable {
        /// Issued but not yet in use (a ticket before check-in opens).
        case dormant
        /// In use; the default.
        case active
        /// Over: only triggers that name this state in `states=` still fire.
        case expired
    }

    public var name: String
    public var lifecycle: Lifecycle
    public var location: SourceLocation?

    public init(name: String, lifecycle: Lifecycle = .active, location: SourceLocation? = nil) {
        self.name = name
        self.lifecycle = lifecycle
        self.location = location
    }
}

/// `sl:attribute`: a value the server stores per instance, changed only by transitions.
public struct ServerAttribute: Sendable, Hashable, Codable {
    /// The value types of server attributes and how Lua sees them.
    public enum ValueType: String, Sendable, Hashable, Codable, CaseIterable {
        /// A Lua string.
        case string
        /// A Lua integer (64-bit).
        case integer
        /// A Lua boolean.
        case boolean
        /// An ISO 8601 timestamp; Lua sees an integer of seconds since 1970-01-01T00:00:00Z.
        case time
        /// Any JSON value; Lua sees tables, strings, numbers, booleans.
        case json
    }

    public var name: String
    public var type: ValueType
    /// `initial=` as written (JSON text for `json`); nil means the attribute starts absent (`nil` in Lua).
    public var initial: String?
    public var location: SourceLocation?

    public init(name: String, type: ValueType, initial: String? = nil, location: SourceLocation? = nil) {
        self.name = name
        self.type = type
        self.initial = initial
        self.location = location
    }
}

/// `sl:interface`: a named read-only query integrators may call; Lua `(state, attributes, args) → value`.
public struct ServerInterface: Sendable, Hashable, Codable {
    public var name: String
    public var lua: LuaSource
    public var location: SourceLocation?

    public init(name: String, lua: LuaSource, location: SourceLocation? = nil) {
        self.name = name
        self.lua = lua
        self.location = location
    }

    /// The names the chunk's arguments are bound to.
    public static let parameters = ["state", "attributes", "args"]
}

/// `sl:computed`: a read-only attribute computed by Lua `(state, attributes) → value` from stored attributes.
public struct ComputedAttribute: Sendable, Hashable, Codable {
    public var name: String
    public var lua: LuaSource
    public var location: SourceLocation?

    public init(name: String, lua: LuaSource, location: SourceLocation? = nil) {
        self.name = name
        self.lua = lua
        self.location = location
    }

    public static let parameters = ["state", "attributes"]
}

/// Lua source text from the document, with the line it starts on so that Lua errors map back to the XML.
///
/// Every piece of Lua in the extension is the *body* of a function: a chunk whose arguments are bound to the
/// names of its contract (``chunk(binding:)``) and which `return`s its result.
public struct LuaSource: Sendable, Hashable, Codable {
    /// The text, without leading blank lines and trailing whitespace; other whitespace is kept.
    public var text: String
    /// The document line of the text's first line: Lua's line `n` is document line `line + n - 1`.
    public var line: Int

    public init(text: String, line: Int) {
        self.text = text
        self.line = line
    }

    /// The chunk to load: `local a, b = ...` prepended on the first line, so Lua's line numbers stay those of `text`.
    public func chunk(binding parameters: [String]) -> String {
        parameters.isEmpty ? text : "local \(parameters.joined(separator: ", ")) = ... " + text
    }

    /// The document line of Lua's line `luaLine` (1-based) of this chunk. Saturating: the number is read
    /// from a Lua error message, which a script can write itself (`error("trigger t:9223372036854775807: x", 0)`).
    public func documentLine(ofLuaLine luaLine: Int) -> Int { line.saturatingAdding(max(luaLine, 1) - 1) }
}
