import TokenScriptModel
import TokenScriptXML

/// `sl:trigger`: what fires a transition (an attestation, a schedule, an attribute change, an effect's
/// outcome, an action the holder invokes, a change of a followed instance), in which states, and the
/// transition it runs; every reference is checked against the sections read before it.
extension ServerReader {
    mutating func trigger(_ element: XMLElement, server: ServerExtension) -> ServerTrigger? {
        checkAttributes(element, ["name", "states"])
        guard let name = unique("trigger", required("name", of: element), element) else { return nil }
        let stateNames = Set(server.states.map(\.name))
        let states = list(element.attribute("states") ?? "")
        for state in states where !stateNames.contains(state) {
            error("trigger '\(name)': states= names an unknown state '\(state)'", element)
        }
        var events: [(XMLElement, TriggerEvent?)] = []
        var transitions: [XMLElement] = []
        for child in ourChildren(of: element) {
            switch child.localName {
            case "on-attestation": events.append((child, attestationEvent(child, trigger: name, server: server)))
            case "on-schedule": events.append((child, scheduleEvent(child, trigger: name, server: server)))
            case "on-attribute": events.append((child, attributeEvent(child, trigger: name, server: server)))
            case "on-effect": events.append((child, effectEvent(child, trigger: name, server: server)))
            case "on-action": events.append((child, actionEvent(child)))
            case "on-change": events.append((child, changeEvent(child, trigger: name, server: server)))
            case "transition": transitions.append(child)
            default: unknownChild(child, in: element)
            }
        }
        guard let event = events.first.map({ $0.1 }) else {
            error(
                "trigger '\(name)' needs one of <\(prefixed("on-attestation", element))>, "
                    + "on-schedule, on-attribute, on-effect, on-action or on-change",
                element)
            return nil
        }
        for (extra, _) in events.dropFirst() {
            error("trigger '\(name)' has more than one event; write one trigger per event", extra)
        }
        guard let transitionElement = transitions.first else {
            error("trigger '\(name)' needs a <\(prefixed("transition", element))>", element)
            return nil
        }
        for extra in transitions.dropFirst() {
            error("trigger '\(name)' has more than one <\(extra.qualifiedName)>", extra)
        }
        guard let transition = transition(transitionElement, trigger: name, states: stateNames), let event else {
            return nil
        }
        return ServerTrigger(
            name: name, event: event, states: states, transition: transition, location: builder.modelLocation(element))
    }

    mutating func transition(_ element: XMLElement, trigger: String, states: Set<String>) -> Transition? {
        checkAttributes(element, ["goto"])
        noChildren(element)
        let lua = builder.luaSource(element)
        switch (element.attribute("goto"), lua) {
        case (let target?, nil):
            guard states.contains(target) else {
                error("trigger '\(trigger)': goto=\"\(target)\" is not a state", element)
                return nil
            }
            return .goto(target)
        case (nil, let lua?):
            return .lua(lua)
        case (_?, _?):
            error("trigger '\(trigger)': a transition has either goto= or Lua, not both", element)
            return nil
        case (nil, nil):
            error("trigger '\(trigger)': the transition has neither Lua nor goto=", element)
            return nil
        }
    }

    mutating func attestationEvent(_ element: XMLElement, trigger: String, server: ServerExtension) -> TriggerEvent? {
        checkAttributes(element, ["topic", "type", "filter"])
        noChildren(element)
        guard let topicText = required("topic", of: element) else { return nil }
        guard let template = topicTemplate(topicText, trigger: trigger, server: server, element) else { return nil }
        if !server.issuers.contains(where: { $0.topics.contains { template.mayBeCovered(by: $0) } }) {
            error(
                "trigger '\(trigger)': no sl:issuer is trusted for topic "
                    + "'\(topicText)'; such attestations would never be accepted",
                element)
        }
        let filter = filter(element.attribute("filter"), trigger: trigger, element)
        guard filter.parsed else { return nil }
        return .attestation(
            AttestationTrigger(
                topic: TopicPattern(topicText), type: element.attribute("type"), filter: filter.expression))
    }

    mutating func scheduleEvent(_ element: XMLElement, trigger: String, server: ServerExtension) -> TriggerEvent? {
        checkAttributes(element, ["at", "after", "from", "every"])
        noChildren(element)
        let given = ["at", "after", "every"].filter { element.attribute($0) != nil }
        guard given.count == 1 else {
            error(
                "trigger '\(trigger)': <\(element.qualifiedName)> needs exactly one of at=, after= or every=", element)
            return nil
        }
        if element.attribute("from") != nil && given != ["after"] {
            error("trigger '\(trigger)': from= goes with after= only", element)
        }
        switch given[0] {
        case "at":
            let text = element.attribute("at")!
            guard ISOTimestamp.isValid(text) else {
                error(
                    "trigger '\(trigger)': at=\"\(text)\" is not an ISO "
                        + "8601 timestamp with a zone (2026-03-01T08:00:00Z)",
                    element)
                return nil
            }
            return .schedule(.at(text))
        case "after":
            guard let delay = duration(element.attribute("after")!, "after", of: element, positive: false) else {
                return nil
            }
            let anchor = ScheduleAnchor(element.attribute("from") ?? "state-entry")
            if case .attribute(let name) = anchor {
                if let attribute = server.attribute(named: name) {
                    if attribute.type != .time {
                        error(
                            "trigger '\(trigger)': from=\"\(name)\" is a "
                                + "\(attribute.type.rawValue) attribute, not a time",
                            element)
                    }
                } else if server.computedAttribute(named: name) == nil {
                    error(
                        "trigger '\(trigger)': from=\"\(name)\" is neither 'state-entry' nor a time attribute", element)
                }
            }
            return .schedule(.after(delay, from: anchor))
        default:
            guard let period = duration(element.attribute("every")!, "every", of: element, positive: true) else {
                return nil
            }
            return .schedule(.every(period))
        }
    }

    /// Names an `on-attribute` may watch besides declared ones: the token's built-in attributes.
    static let builtInAttributes: Set<String> = ["ownerAddress", "tokenId", "contractAddress", "chainId"]

    mutating func attributeEvent(_ element: XMLElement, trigger: String, server: ServerExtension) -> TriggerEvent? {
        checkAttributes(element, ["name"])
        noChildren(element)
        guard let name = required("name", of: element) else { return nil }
        let known =
            server.attribute(named: name) != nil || server.computedAttribute(named: name) != nil
            || script.attributes.contains { $0.name == name } || Self.builtInAttributes.contains(name)
        if !known {
            error("trigger '\(trigger)': on-attribute names an unknown attribute '\(name)'", element)
        }
        return .attributeChange(name)
    }

    /// `sl:on-action name=`: the holder invokes the named action (`POST /v1/instances/{id}/actions/{name}`).
    mutating func actionEvent(_ element: XMLElement) -> TriggerEvent? {
        checkAttributes(element, ["name"])
        noChildren(element)
        return required("name", of: element).map(TriggerEvent.action)
    }

    mutating func effectEvent(_ element: XMLElement, trigger: String, server: ServerExtension) -> TriggerEvent? {
        checkAttributes(element, ["effect", "outcome", "status"])
        noChildren(element)
        guard let effectName = required("effect", of: element), let outcomeText = required("outcome", of: element)
        else {
            return nil
        }
        guard let outcome = EffectOutcome(rawValue: outcomeText) else {
            error(
                "trigger '\(trigger)': unknown outcome '\(outcomeText)' (expected success, timeout, error or failed)",
                element)
            return nil
        }
        if let effect = server.effect(named: effectName) {
            if outcome == .failed && !effect.anchorFallback {
                error(
                    "trigger '\(trigger)': effect '\(effectName)' has no "
                        + "<\(prefixed("fallback", element)) anchor=\"true\"/>, so it never ends in 'failed'",
                    element)
            }
        } else {
            error("trigger '\(trigger)': on-effect names an unknown effect '\(effectName)'", element)
        }
        var statuses: [StatusPattern] = []
        if let text = element.attribute("status") {
            if outcome != .error { error("trigger '\(trigger)': status= goes with outcome=\"error\" only", element) }
            for item in list(text) {
                if let pattern = StatusPattern(item) {
                    statuses.append(pattern)
                } else {
                    error(
                        "trigger '\(trigger)': status '\(item)' is not an HTTP status or class such as 503 or 4xx",
                        element)
                }
            }
        }
        return .effectOutcome(EffectOutcomeTrigger(effect: effectName, outcome: outcome, statuses: statuses))
    }
}
