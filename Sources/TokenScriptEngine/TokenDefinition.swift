import TokenScriptAttestation
import TokenScriptModel
import TokenScriptRuntime

/// A TokenScript's server extension, prepared once for the engine: trust, initial attribute values and an id.
///
/// Everything here is derived from the document and checked up front (issuer keys, initial values), so a
/// broken definition fails when it is loaded rather than on the first attestation of some instance.
public struct TokenDefinition: Sendable {
    public let tokenScriptName: String
    public let server: ServerExtension
    /// `<TokenScript name>@<first 16 hex digits of SHA-256 of the extension's canonical form>`: which logic a
    /// journal was written by. The form (`DefinitionCanonicalForm`) leaves source locations out, so moving
    /// the file or reformatting around the extension keeps the id; editing any trigger, state, attribute or
    /// Lua text changes it.
    public let id: String
    /// The extension's `sl:trust` in the attestation module's terms.
    public let trust: TrustConfiguration
    /// Each stored attribute's initial value (absent ones left out).
    public let initialAttributes: [String: SandboxValue]
    /// Each trigger's `sl:on-attestation` topic parsed once, by the trigger's position (nil for other events):
    /// every step and every subscription fills these in, so they are not re-parsed per attestation.
    public let attestationTopics: [TopicTemplate?]

    /// Why a TokenScript cannot be run by the engine.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public enum Reason: Sendable, Hashable {
            case noServerExtension(tokenScript: String)
            case undeclaredInitialState(String)
            case invalidIssuerKey(issuer: String, key: String, scheme: String)
            case malformedTopicPattern(issuer: String)
            /// An attribute's `initial=` does not denote a value of its type.
            case initialValue(AttributeTyping.Mismatch)
            /// An `sl:on-attestation topic=` that is not a well-formed template (`${name}` syntax).
            case malformedTriggerTopic(trigger: String, TopicTemplateError)
        }

        public var reason: Reason

        public init(_ reason: Reason) { self.reason = reason }

        public var description: String {
            switch reason {
            case .noServerExtension(let name): "TokenScript \(name) has no sl:server extension"
            case .undeclaredInitialState(let state): "initial state \(state) is not declared"
            case .invalidIssuerKey(let issuer, let key, let scheme):
                "issuer \(issuer): key \(key) is not a valid \(scheme) key"
            case .malformedTopicPattern(let issuer): "issuer \(issuer): a topic pattern is malformed"
            case .initialValue(let mismatch): mismatch.description
            case .malformedTriggerTopic(let trigger, let error): "trigger \(trigger): topic: \(error.description)"
            }
        }
    }

    public init(tokenScript: TokenScript, clockSkew: UInt64 = 300) throws(Invalid) {
        guard let server = tokenScript.server else {
            throw Invalid(.noServerExtension(tokenScript: tokenScript.name ?? "(unnamed)"))
        }
        try self.init(name: tokenScript.name ?? "", server: server, clockSkew: clockSkew)
    }

    public init(name: String, server: ServerExtension, clockSkew: UInt64 = 300) throws(Invalid) {
        guard server.state(named: server.initialState) != nil else {
            throw Invalid(.undeclaredInitialState(server.initialState))
        }
        var grants: [TrustConfiguration.Grant] = []
        for issuer in server.issuers {
            guard let key = Self.attestationIssuer(issuer) else {
                throw Invalid(.invalidIssuerKey(issuer: issuer.name, key: issuer.key, scheme: issuer.scheme.rawValue))
            }
            let topics = issuer.topics.filter(\.isWellFormed)
            guard topics.count == issuer.topics.count else {
                throw Invalid(.malformedTopicPattern(issuer: issuer.name))
            }
            grants.append(.init(issuer: key, topics: topics))
        }
        var initial: [String: SandboxValue] = [:]
        for attribute in server.attributes {
            do {
                if let value = try AttributeTyping.initialValue(of: attribute) { initial[attribute.name] = value }
            } catch {
                throw Invalid(.initialValue(error))
            }
        }
        var templates: [TopicTemplate?] = []
        for trigger in server.triggers {
            guard case .attestation(let on) = trigger.event else {
                templates.append(nil)
                continue
            }
            do {
                templates.append(try TopicTemplate(parsing: on.topic.text))
            } catch {
                throw Invalid(.malformedTriggerTopic(trigger: trigger.name, error))
            }
        }
        self.attestationTopics = templates
        self.tokenScriptName = name
        self.server = server
        self.trust = TrustConfiguration(grants: grants, clockSkew: clockSkew)
        self.initialAttributes = initial
        self.id = name + "@" + String(Self.contentHash(server).prefix(16))
    }

    /// A new instance in the initial state with the initial attribute values.
    public func newInstance(id: String) -> TokenInstance {
        TokenInstance(definitionID: self.id, id: id, state: server.initialState, attributes: initialAttributes)
    }

    /// The `sl:issuer` name an attestation's signer goes by (what Lua sees as `event.issuer`): the first
    /// issuer in document order with this key that is trusted for the topic.
    public func issuerName(of attestation: Attestation) -> String? {
        server.issuers.first { issuer in
            Self.attestationIssuer(issuer) == attestation.issuer
                && issuer.topics.contains { $0.matches(attestation.topic) }
        }?.name
    }

    /// The model's issuer as the verifier's `Issuer`. The model accepts Ed25519 keys with or without `0x`;
    /// the attestation module wants `0x`.
    static func attestationIssuer(_ issuer: TrustedIssuer) -> Issuer? {
        let scheme = issuer.scheme
        var key = issuer.key
        if scheme == .ed25519 {
            key = "0x" + (key.hasPrefix("0x") || key.hasPrefix("0X") ? String(key.dropFirst(2)) : key).lowercased()
        }
        return Issuer(scheme: scheme, key: key)
    }

    /// SHA-256 hex of the extension's explicit canonical form (`DefinitionCanonicalForm`).
    static func contentHash(_ server: ServerExtension) -> String {
        CanonicalHash.hex(CanonicalHash.sha256(DefinitionCanonicalForm.bytes(server)))
    }
}
