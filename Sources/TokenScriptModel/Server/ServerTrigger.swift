/// `sl:trigger`: when something happens to an instance in one of some states, run a transition.
///
/// Everything that happens to an instance is an *event* with a topic and a type: a trusted attestation,
/// a due schedule (`schedule/<trigger>`), an attribute change (`attribute/<name>`), an effect's outcome
/// (`effect/<effect>`), an action its holder invoked (`action/<action>`). Triggers are tried in document
/// order; the first that matches fires, and its transition is the only one the event causes.
public struct ServerTrigger: Sendable, Hashable, Codable {
    public var name: String
    public var event: TriggerEvent
    /// `states=`: the states the trigger fires in; empty means every state whose lifecycle is not `expired`.
    public var states: [String]
    public var transition: Transition
    public var location: SourceLocation?

    public init(
        name: String, event: TriggerEvent, states: [String] = [], transition: Transition,
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.event = event
        self.states = states
        self.transition = transition
        self.location = location
    }

    /// Whether the trigger may fire while the instance is in `state`.
    public func fires(in state: ServerState) -> Bool {
        states.isEmpty ? state.lifecycle != .expired : states.contains(state.name)
    }
}

/// What a trigger waits for.
public enum TriggerEvent: Sendable, Hashable {
    /// `sl:on-attestation`.
    case attestation(AttestationTrigger)
    /// `sl:on-schedule`.
    case schedule(ScheduleTrigger)
    /// `sl:on-attribute name=`: a server attribute, computed attribute or TokenScript attribute changed.
    case attributeChange(String)
    /// `sl:on-effect`.
    case effectOutcome(EffectOutcomeTrigger)
    /// `sl:on-action name=`: the instance's holder invoked the named action (`ActionInvocation`).
    case action(String)

    /// The element that expresses it, for messages and `inspect`.
    public var kind: String {
        switch self {
        case .attestation(let on): on.follow == nil ? "on-attestation" : "on-change"
        case .schedule: "on-schedule"
        case .attributeChange: "on-attribute"
        case .effectOutcome: "on-effect"
        case .action: "on-action"
        }
    }
}

/// `sl:on-attestation topic= type= filter=`: an attestation signed by an issuer trusted for its topic.
/// `sl:on-change follow= filter=` is one too: topic `changes/${attribute}` of the follow, type `change`.
public struct AttestationTrigger: Sendable, Hashable, Codable {
    /// As written; it may name stored attributes (`flight-status/${flight}`, see `template`).
    public var topic: TopicPattern
    /// `type=`: the attestation's type; nil matches every type.
    public var type: String?
    /// `filter=`: the TokenScript filter grammar over the attestation's payload fields.
    public var filter: FilterExpression?
    /// The `sl:follow` an `sl:on-change` names; nil for `sl:on-attestation`. Its attestations are signed by the
    /// followed instance's executor, trusted like every executor (`ExecutorTrust`), not by a document issuer.
    public var follow: String?

    public init(topic: TopicPattern, type: String? = nil, filter: FilterExpression? = nil, follow: String? = nil) {
        self.topic = topic
        self.type = type
        self.filter = filter
        self.follow = follow
    }

    /// `topic` as a template, or nil when it is malformed (the reader refuses such documents).
    public var template: TopicTemplate? { try? TopicTemplate(parsing: topic.text) }
}

/// `sl:on-schedule`: a moment in time, a delay after a moment, or a period.
public enum ScheduleTrigger: Sendable, Hashable {
    /// `at=`: a fixed ISO 8601 timestamp with a zone (`2026-03-01T08:00:00Z`).
    case at(String)
    /// `after= from=`: a duration after the time held by a `time` attribute, or after the instance entered its state.
    case after(ISODuration, from: ScheduleAnchor)
    /// `every=`: periodically, counted from the moment the instance entered its state.
    case every(ISODuration)
}

/// What an `after=` delay counts from.
public enum ScheduleAnchor: Sendable, Hashable, CustomStringConvertible {
    /// `from="state-entry"` (the default): the moment the instance entered its current state.
    case stateEntry
    /// `from="<attribute>"`: the time a `time` attribute holds.
    case attribute(String)

    public init(_ text: String) {
        self = text == "state-entry" ? .stateEntry : .attribute(text)
    }

    public var description: String {
        switch self {
        case .stateEntry: "state-entry"
        case .attribute(let name): name
        }
    }
}

/// `sl:on-effect effect= outcome= status=`: the outcome of an effect, fed back as an event of topic `effect/<effect>`.
public struct EffectOutcomeTrigger: Sendable, Hashable, Codable {
    public var effect: String
    public var outcome: EffectOutcome
    /// `status=`: for `error`, the HTTP statuses that match (`4xx 503`); empty matches every status.
    public var statuses: [StatusPattern]

    public init(effect: String, outcome: EffectOutcome, statuses: [StatusPattern] = []) {
        self.effect = effect
        self.outcome = outcome
        self.statuses = statuses
    }
}

/// How an effect ended.
public enum EffectOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// A 2xx response.
    case success
    /// The last attempt got no response in time (after every retry).
    case timeout
    /// The last attempt got a response that is not 2xx (after every retry), or could not connect.
    case error
    /// The anchoring node could not route the call either, and attested so (only with `sl:fallback anchor="true"`).
    case failed
}

/// An HTTP status or class of statuses: `503`, `5xx`, `40x`. `x` stands for any digit.
public struct StatusPattern: Sendable, Hashable, CustomStringConvertible {
    public var text: String

    /// Nil unless the text is three characters, digits or `x`, the first a digit 1–5.
    public init?(_ text: String) {
        let characters = Array(text)
        guard characters.count == 3, let first = characters[0].wholeNumberValue, (1...5).contains(first),
            characters.allSatisfy({ $0 == "x" || ($0.isASCII && $0.isNumber) })
        else { return nil }
        self.text = text
    }

    public func matches(_ status: Int) -> Bool {
        let digits = Array(String(status))
        guard digits.count == 3 else { return false }
        return zip(text, digits).allSatisfy { pattern, digit in pattern == "x" || pattern == digit }
    }

    public var description: String { text }
}

/// What a trigger does when it fires.
public enum Transition: Sendable, Hashable {
    /// `sl:transition goto=`: move to a state, change nothing else.
    case goto(String)
    /// `sl:transition` with Lua: `(state, event, attributes) → {state=, attributes=, events=, effects=}`.
    case lua(LuaSource)

    /// The names the Lua chunk's arguments are bound to.
    public static let parameters = ["state", "event", "attributes"]
}
