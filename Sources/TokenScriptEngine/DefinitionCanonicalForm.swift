import TokenScriptJSON
import TokenScriptModel

/// The explicit canonical form of a server extension, which `TokenDefinition.id` hashes.
///
/// Every field that decides behaviour is written here by name, through the package's canonical JSON
/// writer, so the id changes only when this file does (a new `form` tag) or the logic does: not when a
/// `Codable` conformance, `JSONEncoder` or a Foundation version changes. Source locations are left out (moving
/// or reformatting the file keeps the id); Lua line numbers stay in, because Lua error messages carry them.
/// `Fixtures/golden/definition-ids.json` pins the result for the example tokens.
enum DefinitionCanonicalForm {
    static let form = "swift-tokenscript definition v1"

    static func value(_ server: ServerExtension) -> JSONValue {
        .object(
            [
                "form": .string(form),
                "namespace": .string(server.namespace),
                "version": .integer(Int64(server.version)),
                "initialState": .string(server.initialState),
                "issuers": .array(
                    server.issuers.map { issuer in
                        [
                            "name": .string(issuer.name), "scheme": .string(issuer.scheme.rawValue),
                            "key": .string(issuer.key),
                            "topics": .array(issuer.topics.map { .string($0.text) }),
                        ]
                    }),
                "states": .array(
                    server.states.map { ["name": .string($0.name), "lifecycle": .string($0.lifecycle.rawValue)] }),
                "attributes": .array(
                    server.attributes.map { attribute in
                        .object(
                            ["name": .string(attribute.name), "type": .string(attribute.type.rawValue)]
                                .adding("initial", attribute.initial.map(JSONValue.string)))
                    }),
                "triggers": .array(
                    server.triggers.map { trigger in
                        [
                            "name": .string(trigger.name), "event": event(trigger.event),
                            "states": .array(trigger.states.map(JSONValue.string)),
                            "transition": transition(trigger.transition),
                        ]
                    }),
                "effects": .array(server.effects.map(effect)),
                "interfaces": .array(server.interfaces.map { ["name": .string($0.name), "lua": lua($0.lua)] }),
                "computed": .array(server.computed.map { ["name": .string($0.name), "lua": lua($0.lua)] }),
            ]
            // Only when present, so definitions written before `sl:follow` keep their ids.
            .adding("follows", server.follows.isEmpty ? nil : .array(server.follows.map(follow))))
    }

    /// The canonical bytes of `value(server)`; the form holds no floats, so the writer has nothing to refuse.
    static func bytes(_ server: ServerExtension) -> [UInt8] { (try? JSONWriter.canonical(value(server))) ?? [] }

    private static func follow(_ follow: FollowedToken) -> JSONValue {
        ["name": .string(follow.name), "attribute": .string(follow.attribute), "token": .string(follow.token)]
    }

    private static func lua(_ source: LuaSource) -> JSONValue {
        ["text": .string(source.text), "line": .integer(Int64(source.line))]
    }

    private static func event(_ event: TriggerEvent) -> JSONValue {
        switch event {
        case .attestation(let trigger):
            [
                "attestation": .object(
                    ["topic": .string(trigger.topic.text)]
                        .adding("type", trigger.type.map(JSONValue.string))
                        .adding("filter", trigger.filter.map { .string($0.description) })
                        .adding("follow", trigger.follow.map(JSONValue.string)))
            ]
        case .schedule(.at(let moment)): ["schedule": ["at": .string(moment)]]
        case .schedule(.after(let duration, let anchor)):
            ["schedule": ["after": .string(duration.text), "from": .string(anchor.description)]]
        case .schedule(.every(let period)): ["schedule": ["every": .string(period.text)]]
        case .attributeChange(let name): ["attribute": .string(name)]
        case .effectOutcome(let trigger):
            [
                "effect": [
                    "effect": .string(trigger.effect), "outcome": .string(trigger.outcome.rawValue),
                    "statuses": .array(trigger.statuses.map { .string($0.text) }),
                ]
            ]
        case .action(let name): ["action": .string(name)]
        }
    }

    private static func transition(_ transition: Transition) -> JSONValue {
        switch transition {
        case .goto(let state): ["goto": .string(state)]
        case .lua(let source): ["lua": lua(source)]
        }
    }

    private static func effect(_ effect: ServerEffect) -> JSONValue {
        let retry: [JSONKey: JSONValue] = [
            "retries": .integer(Int64(effect.retry.retries)), "backoff": .string(effect.retry.backoff.rawValue),
            "initial": .string(effect.retry.initial.text),
        ]
        return .object(
            [
                "name": .string(effect.name), "method": .string(effect.method.rawValue), "url": .string(effect.url),
                "timeout": .string(effect.timeout.text), "anchorFallback": .bool(effect.anchorFallback),
                "retry": .object(retry.adding("maximum", effect.retry.maximum.map { .string($0.text) })),
                "idempotencyKey": .object(
                    ["header": .string(effect.idempotencyKey.header)]
                        .adding("lua", effect.idempotencyKey.lua.map(lua))),
            ].adding("request", effect.request.map(lua)))
    }
}

extension Dictionary where Key == JSONKey, Value == JSONValue {
    /// With `name` set to `value` when there is one: absent optional fields are left out, not null.
    fileprivate func adding(_ name: String, _ value: JSONValue?) -> Self {
        var copy = self
        copy[JSONKey(name)] = value
        return copy
    }
}
