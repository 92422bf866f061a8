import TokenScriptEngine
import TokenScriptModel

/// `server` of `tokenscript inspect --json` (see README, "inspect --json"): the `sl:server` extension as an
/// integrator reads it — who is trusted for what, the states, what fires a trigger, what effects call, and
/// which interfaces there are to query with which arguments.
package struct InspectServerReport: Codable, Sendable, Equatable {
    package struct IssuerReport: Codable, Sendable, Equatable {
        package var name: String
        package var scheme: String
        package var key: String
        package var topics: [String]
    }

    package struct StateReport: Codable, Sendable, Equatable {
        package var name: String
        /// `dormant`, `active` or `expired`.
        package var lifecycle: String
    }

    package struct AttributeReport: Codable, Sendable, Equatable {
        package var name: String
        /// `string`, `integer`, `boolean`, `time`, `json`, or `computed` for an `sl:computed` attribute.
        package var type: String
        package var initial: String?
        package var line: Int?
    }

    package struct TriggerReport: Codable, Sendable, Equatable {
        package var name: String
        /// `on-attestation`, `on-schedule`, `on-attribute` or `on-effect`.
        package var on: String
        /// The topic (pattern) of the attestations that fire it: `flight-status/*`, `schedule/expire`,
        /// `attribute/ownerAddress`, `effect/rebookHotel`.
        package var topic: String
        /// The attestation type that fires it (nil: any): the outcome for `on-effect`, `schedule`, `change`.
        package var type: String?
        /// What else must hold: the payload filter, the HTTP statuses, or when a schedule is due.
        package var condition: String?
        /// The states it fires in; empty: every state that is not `expired`.
        package var states: [String]
        /// `goto <state>`, or `lua` for a Lua transition.
        package var transition: String
        package var line: Int?
    }

    package struct EffectReport: Codable, Sendable, Equatable {
        package var name: String
        package var method: String
        package var url: String
        package var timeout: String
        package var retries: Int
        package var anchorFallback: Bool
        package var idempotencyHeader: String
        package var line: Int?
    }

    package struct InterfaceReport: Codable, Sendable, Equatable {
        package var name: String
        /// The names its Lua reads from `args` (`args.flight`, `args["flight"]`), in order of appearance:
        /// what `dry-run --query NAME --arg NAME=VALUE` can pass.
        package var arguments: [String]
        package var line: Int?
    }

    /// `sl:follow`: the instances this token follows; absent from the JSON when it follows none.
    package struct FollowReport: Codable, Sendable, Equatable {
        package var name: String
        /// The stored attribute holding the followed instance's id.
        package var attribute: String
        /// The followed token's `ts:token name=`.
        package var token: String
        package var line: Int?
    }

    package var namespace: String
    package var initialState: String
    package var states: [StateReport]
    package var issuers: [IssuerReport]
    package var attributes: [AttributeReport]
    package var triggers: [TriggerReport]
    package var effects: [EffectReport]
    package var interfaces: [InterfaceReport]
    package var follows: [FollowReport]?

    package init(_ server: ServerExtension) {
        namespace = server.namespace
        initialState = server.initialState
        states = server.states.map { StateReport(name: $0.name, lifecycle: $0.lifecycle.rawValue) }
        issuers = server.issuers.map {
            IssuerReport(name: $0.name, scheme: $0.scheme.rawValue, key: $0.key, topics: $0.topics.map(\.text))
        }
        attributes =
            server.attributes.map {
                AttributeReport(name: $0.name, type: $0.type.rawValue, initial: $0.initial, line: $0.location?.line)
            }
            + server.computed.map { AttributeReport(name: $0.name, type: "computed", line: $0.location?.line) }
        triggers = server.triggers.map(Self.trigger)
        effects = server.effects.map {
            EffectReport(
                name: $0.name, method: $0.method.rawValue, url: $0.url, timeout: $0.timeout.text,
                retries: $0.retry.retries, anchorFallback: $0.anchorFallback,
                idempotencyHeader: $0.idempotencyKey.header, line: $0.location?.line)
        }
        interfaces = server.interfaces.map {
            InterfaceReport(name: $0.name, arguments: Self.argumentNames($0.lua.text), line: $0.location?.line)
        }
        let follows = server.follows.map {
            FollowReport(name: $0.name, attribute: $0.attribute, token: $0.token, line: $0.location?.line)
        }
        self.follows = follows.isEmpty ? nil : follows
    }

    static func trigger(_ trigger: ServerTrigger) -> TriggerReport {
        let topic: String
        var type: String?
        var condition: String?
        switch trigger.event {
        case .attestation(let on):
            topic = on.topic.text
            type = on.type
            condition = on.filter?.description
        case .schedule(let schedule):
            topic = "schedule/" + trigger.name
            type = "schedule"
            switch schedule {
            case .at(let time): condition = "at \(time)"
            case .after(let delay, let anchor): condition = "after \(delay.text) from \(anchor.description)"
            case .every(let period): condition = "every \(period.text)"
            }
        case .attributeChange(let name):
            topic = "attribute/" + name
            type = "change"
        case .effectOutcome(let on):
            topic = "effect/" + on.effect
            type = on.outcome.rawValue
            condition = on.statuses.isEmpty ? nil : "status " + on.statuses.map(\.text).joined(separator: " ")
        case .action(let name):
            topic = ActionInvocation.topic(of: name)
            type = ActionInvocation.type
            condition = "invoked by the holder"
        }
        let transition: String
        switch trigger.transition {
        case .goto(let state): transition = "goto \(state)"
        case .lua: transition = "lua"
        }
        return TriggerReport(
            name: trigger.name, on: trigger.event.kind, topic: topic, type: type, condition: condition,
            states: trigger.states, transition: transition, line: trigger.location?.line)
    }

    /// The names a Lua body reads from `args`: `args.name` and `args["name"]` / `args['name']`.
    static func argumentNames(_ lua: String) -> [String] {
        var names: [String] = []
        let characters = Array(lua.unicodeScalars)
        func isIdentifier(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic && scalar.isASCII || scalar == "_" || ("0"..."9").contains(scalar)
        }
        var index = 0
        while index + 4 < characters.count {
            defer { index += 1 }
            guard String(String.UnicodeScalarView(characters[index..<index + 4])) == "args",
                index == 0 || !isIdentifier(characters[index - 1])
            else { continue }
            var cursor = index + 4
            var name = ""
            if characters[cursor] == "." {
                cursor += 1
                while cursor < characters.count, isIdentifier(characters[cursor]) {
                    name.unicodeScalars.append(characters[cursor])
                    cursor += 1
                }
            } else if characters[cursor] == "[", cursor + 1 < characters.count,
                characters[cursor + 1] == "\"" || characters[cursor + 1] == "'"
            {
                let quote = characters[cursor + 1]
                cursor += 2
                while cursor < characters.count, characters[cursor] != quote {
                    name.unicodeScalars.append(characters[cursor])
                    cursor += 1
                }
            }
            if !name.isEmpty, !names.contains(name) { names.append(name) }
        }
        return names
    }
}

extension Inspect {
    /// The `sl:server` part of `inspect`'s text: one section per kind, one line per item.
    static func printServer(_ server: InspectServerReport, console: Console) {
        let line = TerminalText.singleLine
        console.out("server: \(line(server.namespace))  initial state \(line(server.initialState))")
        section("trusted issuers", server.issuers, console) { issuer in
            line("\(issuer.name) (\(issuer.scheme) \(issuer.key))  topics: \(issuer.topics.joined(separator: " "))")
        }
        section("states", server.states, console) { state in
            line(state.lifecycle == "active" ? state.name : "\(state.name) (\(state.lifecycle))")
        }
        section("server attributes", server.attributes, console) { attribute in
            line("\(attribute.name): \(attribute.type)\(attribute.initial.map { " = \($0)" } ?? "")")
        }
        section("follows", server.follows ?? [], console) { follow in
            let topic = "changes/${\(follow.attribute)}"
            return line("\(follow.name): the \(follow.token) whose id is in \(follow.attribute)  (\(topic))")
        }
        section("triggers", server.triggers, console) { trigger in
            var text = "\(trigger.name): \(trigger.on) \(trigger.topic)"
            if let type = trigger.type { text += " type \(type)" }
            if let condition = trigger.condition { text += " \(condition)" }
            text +=
                "  in \(trigger.states.isEmpty ? "any state but expired ones" : trigger.states.joined(separator: " "))"
            return line(text + "  → \(trigger.transition)")
        }
        section("effects", server.effects, console) { effect in
            var text = "\(effect.name): \(effect.method) \(effect.url)  timeout \(effect.timeout)"
            text += ", \(effect.retries) retries\(effect.anchorFallback ? ", anchor fallback" : "")"
            return line(text)
        }
        section("interfaces", server.interfaces, console) { interface in
            line("\(interface.name)(\(interface.arguments.joined(separator: ", ")))")
        }
    }
}
