import Foundation
import TokenScriptModel
import TokenScriptXML
import TokenScriptJSON

/// Reads our server-side extension, `sl:server` (`https://swift-tokenscript.org/server/1`), a direct child of `ts:token`.
///
/// The embedded XSD (`tokenscript-server-1.xsd`, applied by `XMLDocumentReader`) checks structure and lexical
/// forms; this reader builds the model and checks what a schema cannot: names that must exist or be unique,
/// durations, filters, trust, and that each transition does something. Every problem is an error at the
/// element's place. A problem on a line where the XSD already reported one is not repeated.
/// Elements of other namespaces stay extensions that are ignored, as before.
extension ModelBuilder {
    func isServerExtension(_ element: XMLElement) -> Bool {
        element.namespaceURI?.hasPrefix(ServerExtension.namespacePrefix) == true
    }

    /// Reads the `sl:server` child of the root, if any, into `script.server`.
    func readServerExtension(of root: XMLElement, into script: inout TokenScript) {
        var found: XMLElement?
        for child in root.elements where isServerExtension(child) {
            guard let uri = child.namespaceURI, let version = ServerExtension.version(ofNamespace: uri), version == 1 else {
                warn(
                    .namespace,
                    "<\(child.qualifiedName)> is in namespace '\(child.namespaceURI ?? "")', which this runtime does not support (supported: \(ServerExtension.namespaceURI)); ignored",
                    at: child)
                continue
            }
            guard child.localName == "server" else {
                serverError(.unknownConstruct, "<\(child.qualifiedName)> belongs inside <\(prefixed("server", like: child))>", at: child)
                continue
            }
            guard found == nil else {
                serverError(.invalidValue, "a TokenScript has at most one <\(child.qualifiedName)>", at: child)
                continue
            }
            found = child
        }
        guard let element = found else { return }
        var reader = ServerReader(builder: self, script: script)
        script.server = reader.read(element)
    }

    /// An error in the extension, unless the XSD already reported a problem on that line.
    func serverError(_ kind: Diagnostic.Kind, _ message: String, at element: XMLElement) {
        let schemaSaidSo = xml.problems.contains { $0.kind == .schema && $0.line == element.line && $0.file == file }
        if !schemaSaidSo { error(kind, message, at: element) }
    }

    func prefixed(_ localName: String, like element: XMLElement) -> String {
        element.prefix.map { "\($0):\(localName)" } ?? localName
    }

    /// The Lua text of an element, with the document line its first line is on; nil when there is only whitespace.
    func luaSource(_ element: XMLElement) -> LuaSource? {
        let raw = element.text
        guard raw.contains(where: { !$0.isWhitespace }) else { return nil }
        var line = startTagEndLine(element)
        // Drop whole blank lines in front, counting them; keep the indentation of the first real line.
        var text = Substring(raw)
        while let newline = text.firstIndex(of: "\n"), text[..<newline].allSatisfy(\.isWhitespace) {
            text = text[text.index(after: newline)...]
            line += 1
        }
        while text.last?.isWhitespace == true { text.removeLast() }
        return LuaSource(text: String(text), line: line)
    }

    /// The line of the `>` that ends an element's start tag (start tags may span lines).
    private func startTagEndLine(_ element: XMLElement) -> Int {
        let bytes = xml.source
        var line = 1
        var offset = 0
        while line < element.line, offset < bytes.count {
            if bytes[offset] == UInt8(ascii: "\n") { line += 1 }
            offset += 1
        }
        guard line == element.line else { return element.line }
        let needle = Array(("<" + element.qualifiedName).utf8)
        // Find the tag on its line, then its closing '>' outside quoted values.
        while offset + needle.count <= bytes.count, bytes[offset] != UInt8(ascii: "\n") {
            if bytes[offset] == needle[0], Array(bytes[offset..<(offset + needle.count)]) == needle { break }
            offset += 1
        }
        guard offset + needle.count <= bytes.count, bytes[offset] == UInt8(ascii: "<") else { return element.line }
        var quote: UInt8?
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\n") { line += 1 }
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return line
            }
            offset += 1
        }
        return element.line
    }
}

/// One pass over `sl:server`: sections are read in dependency order (trust, states, attributes, computed,
/// effects, then triggers and interfaces), so references can be checked as they are met.
private struct ServerReader {
    let builder: ModelBuilder
    let script: TokenScript
    var names: [String: Set<String>] = [:]

    init(builder: ModelBuilder, script: TokenScript) {
        self.builder = builder
        self.script = script
    }

    static let sections = ["trust", "states", "attribute", "computed", "trigger", "effect", "interface"]

    mutating func read(_ element: XMLElement) -> ServerExtension {
        checkAttributes(element, [])
        let children = element.elements
        for child in children where !isOurs(child) || !Self.sections.contains(child.localName) {
            unknownChild(child, in: element)
        }
        func section(_ name: String) -> [XMLElement] { children.filter { isOurs($0) && $0.localName == name } }

        var server = ServerExtension(
            namespace: element.namespaceURI ?? ServerExtension.namespaceURI, initialState: "",
            location: builder.modelLocation(element))
        for trust in section("trust") { server.issuers += issuers(trust) }
        let stateSections = section("states")
        if stateSections.isEmpty {
            error("<\(element.qualifiedName)> needs <\(prefixed("states", element))> with the states of an instance", element)
        }
        for (index, states) in stateSections.enumerated() {
            if index > 0 {
                error("<\(element.qualifiedName)> has more than one <\(states.qualifiedName)>", states)
                continue
            }
            (server.initialState, server.states) = self.states(states)
        }
        for attribute in section("attribute") {
            if let value = self.attribute(attribute) { server.attributes.append(value) }
        }
        for computed in section("computed") {
            if let value = self.computed(computed) { server.computed.append(value) }
        }
        for effect in section("effect") {
            if let value = self.effect(effect, issuers: server.issuers) { server.effects.append(value) }
        }
        for trigger in section("trigger") {
            if let value = self.trigger(trigger, server: server) { server.triggers.append(value) }
        }
        for interface in section("interface") {
            if let value = self.interface(interface) { server.interfaces.append(value) }
        }
        return server
    }

    // MARK: Trust

    private mutating func issuers(_ element: XMLElement) -> [TrustedIssuer] {
        checkAttributes(element, [])
        var issuers: [TrustedIssuer] = []
        for child in element.elements {
            guard isOurs(child), child.localName == "issuer" else {
                unknownChild(child, in: element)
                continue
            }
            checkAttributes(child, ["name", "scheme", "key", "topics"])
            guard let name = unique("issuer", required("name", of: child), child),
                  let schemeText = required("scheme", of: child), let key = required("key", of: child),
                  let topicsText = required("topics", of: child)
            else { continue }
            guard let scheme = SignatureScheme(rawValue: schemeText) else {
                error(
                    "issuer '\(name)': unknown scheme '\(schemeText)' (expected \(SignatureScheme.allCases.map(\.rawValue).joined(separator: ", ")))",
                    child)
                continue
            }
            if !scheme.accepts(key: key) {
                let expected = scheme == .ed25519 ? "a 32-byte Ed25519 public key in hex (64 hex digits)" : "a 0x address (40 hex digits)"
                error("issuer '\(name)': key '\(key)' is not \(expected), as scheme \(scheme.rawValue) needs", child)
            }
            let topics = list(topicsText).map(TopicPattern.init)
            for topic in topics where !topic.isWellFormed {
                error("issuer '\(name)': topic pattern '\(topic)' may have '*' only at its end", child)
            }
            if topics.isEmpty { error("issuer '\(name)' is trusted for no topics", child) }
            issuers.append(
                TrustedIssuer(
                    name: name, scheme: scheme, key: key, topics: topics.filter(\.isWellFormed),
                    location: builder.modelLocation(child)))
        }
        return issuers
    }

    // MARK: States and attributes

    private mutating func states(_ element: XMLElement) -> (String, [ServerState]) {
        checkAttributes(element, ["initial"])
        var states: [ServerState] = []
        for child in element.elements {
            guard isOurs(child), child.localName == "state" else {
                unknownChild(child, in: element)
                continue
            }
            checkAttributes(child, ["name", "lifecycle"])
            guard let name = unique("state", required("name", of: child), child) else { continue }
            var lifecycle = ServerState.Lifecycle.active
            if let text = child.attribute("lifecycle") {
                if let value = ServerState.Lifecycle(rawValue: text) {
                    lifecycle = value
                } else {
                    error("state '\(name)': unknown lifecycle '\(text)' (expected dormant, active or expired)", child)
                }
            }
            states.append(ServerState(name: name, lifecycle: lifecycle, location: builder.modelLocation(child)))
        }
        let initial = element.attribute("initial") ?? ""
        if initial.isEmpty {
            error("<\(element.qualifiedName)> needs an 'initial' attribute naming the state new instances start in", element)
        } else if !states.contains(where: { $0.name == initial }) {
            error("initial state '\(initial)' is not one of the states (\(states.map(\.name).joined(separator: ", ")))", element)
        }
        if states.isEmpty { error("<\(element.qualifiedName)> declares no state", element) }
        return (initial, states)
    }

    private mutating func attribute(_ element: XMLElement) -> ServerAttribute? {
        checkAttributes(element, ["name", "type", "initial"])
        guard let name = unique("attribute", required("name", of: element), element),
              let typeText = required("type", of: element)
        else { return nil }
        guard let type = ServerAttribute.ValueType(rawValue: typeText) else {
            error(
                "attribute '\(name)': unknown type '\(typeText)' (expected \(ServerAttribute.ValueType.allCases.map(\.rawValue).joined(separator: ", ")))",
                element)
            return nil
        }
        let initial = element.attribute("initial")
        if let initial, !Self.isValid(initial, as: type) {
            error("attribute '\(name)': initial value '\(initial)' is not a valid \(type.rawValue)", element)
        }
        return ServerAttribute(name: name, type: type, initial: initial, location: builder.modelLocation(element))
    }

    static func isValid(_ text: String, as type: ServerAttribute.ValueType) -> Bool {
        switch type {
        case .string: return true
        case .integer: return Int64(text) != nil
        case .boolean: return text == "true" || text == "false"
        case .time: return ISOTimestamp.isValid(text)
        case .json:
            // The engine's reader, so a document is valid exactly when the engine can use its initial value.
            return (try? JSONReader.read(text)) != nil
        }
    }

    private mutating func computed(_ element: XMLElement) -> ComputedAttribute? {
        checkAttributes(element, ["name"])
        noChildren(element)
        guard let name = unique("attribute", required("name", of: element), element) else { return nil }
        guard let lua = builder.luaSource(element) else {
            error("computed attribute '\(name)' has no Lua", element)
            return nil
        }
        return ComputedAttribute(name: name, lua: lua, location: builder.modelLocation(element))
    }

    private mutating func interface(_ element: XMLElement) -> ServerInterface? {
        checkAttributes(element, ["name"])
        noChildren(element)
        guard let name = unique("interface", required("name", of: element), element) else { return nil }
        guard let lua = builder.luaSource(element) else {
            error("interface '\(name)' has no Lua", element)
            return nil
        }
        return ServerInterface(name: name, lua: lua, location: builder.modelLocation(element))
    }

    // MARK: Effects

    private mutating func effect(_ element: XMLElement, issuers: [TrustedIssuer]) -> ServerEffect? {
        checkAttributes(element, ["name", "method", "url", "timeout"])
        guard let name = unique("effect", required("name", of: element), element),
              let methodText = required("method", of: element), let url = required("url", of: element),
              let timeoutText = required("timeout", of: element)
        else { return nil }
        guard let method = ServerEffect.Method(rawValue: methodText) else {
            error("effect '\(name)': unknown method '\(methodText)' (expected GET, POST, PUT, PATCH or DELETE)", element)
            return nil
        }
        guard let timeout = duration(timeoutText, "timeout", of: element, positive: true) else { return nil }
        var effect = ServerEffect(name: name, method: method, url: url, timeout: timeout, location: builder.modelLocation(element))
        let environment = Set(script.meta.environment.map(\.name))
        for reference in effect.environmentReferences where !environment.contains(reference) {
            error("effect '\(name)': url refers to ${env.\(reference)}, but ts:meta has no <ts:env name=\"\(reference)\">", element)
        }
        var seen: Set<String> = []
        for child in element.elements {
            guard isOurs(child), ["request", "retry", "idempotency-key", "fallback"].contains(child.localName) else {
                unknownChild(child, in: element)
                continue
            }
            guard seen.insert(child.localName).inserted else {
                error("effect '\(name)' has more than one <\(child.qualifiedName)>", child)
                continue
            }
            switch child.localName {
            case "request":
                checkAttributes(child, [])
                noChildren(child)
                effect.request = builder.luaSource(child)
                if effect.request == nil { error("effect '\(name)': <\(child.qualifiedName)> has no Lua", child) }
            case "retry":
                if let retry = retry(child, effect: name) { effect.retry = retry }
            case "idempotency-key":
                checkAttributes(child, ["header"])
                noChildren(child)
                let header = child.attribute("header") ?? "Idempotency-Key"
                if header.isEmpty || header.contains(where: { $0.isWhitespace || $0 == ":" }) {
                    error("effect '\(name)': '\(header)' is not an HTTP header name", child)
                }
                effect.idempotencyKey = IdempotencyKey(header: header, lua: builder.luaSource(child))
            default:  // fallback
                checkAttributes(child, ["anchor"])
                switch child.attribute("anchor") {
                case "true", "1": effect.anchorFallback = true
                case "false", "0": effect.anchorFallback = false
                case let other:
                    error("effect '\(name)': <\(child.qualifiedName)> needs anchor=\"true\" or \"false\", not '\(other ?? "")'", child)
                }
            }
        }
        if effect.anchorFallback, !issuers.contains(where: { $0.topics.contains { $0.matches(effect.outcomeTopic) } }) {
            error(
                "effect '\(name)' falls back to an anchoring node, but no sl:issuer is trusted for topic '\(effect.outcomeTopic)' to sign its failure",
                element)
        }
        return effect
    }

    private mutating func retry(_ element: XMLElement, effect: String) -> RetryPolicy? {
        checkAttributes(element, ["retries", "backoff", "initial", "max"])
        guard let retriesText = required("retries", of: element) else { return nil }
        guard let retries = Int(retriesText), (0...100).contains(retries) else {
            error("effect '\(effect)': retries=\"\(retriesText)\" is not a number from 0 to 100", element)
            return nil
        }
        var policy = RetryPolicy(retries: retries)
        if let text = element.attribute("backoff") {
            guard let backoff = RetryPolicy.Backoff(rawValue: text) else {
                error("effect '\(effect)': unknown backoff '\(text)' (expected fixed or exponential)", element)
                return nil
            }
            policy.backoff = backoff
        }
        if let text = element.attribute("initial") {
            guard let initial = duration(text, "initial", of: element, positive: false) else { return nil }
            policy.initial = initial
        }
        if let text = element.attribute("max") {
            guard let maximum = duration(text, "max", of: element, positive: false) else { return nil }
            if maximum.milliseconds < policy.initial.milliseconds {
                error("effect '\(effect)': max=\"\(maximum)\" is shorter than initial=\"\(policy.initial)\"", element)
            }
            policy.maximum = maximum
        }
        return policy
    }

    // MARK: Triggers

    private mutating func trigger(_ element: XMLElement, server: ServerExtension) -> ServerTrigger? {
        checkAttributes(element, ["name", "states"])
        guard let name = unique("trigger", required("name", of: element), element) else { return nil }
        let stateNames = Set(server.states.map(\.name))
        let states = list(element.attribute("states") ?? "")
        for state in states where !stateNames.contains(state) {
            error("trigger '\(name)': states= names an unknown state '\(state)'", element)
        }
        var events: [(XMLElement, TriggerEvent?)] = []
        var transitions: [XMLElement] = []
        for child in element.elements {
            guard isOurs(child) else {
                unknownChild(child, in: element)
                continue
            }
            switch child.localName {
            case "on-attestation": events.append((child, attestationEvent(child, trigger: name, server: server)))
            case "on-schedule": events.append((child, scheduleEvent(child, trigger: name, server: server)))
            case "on-attribute": events.append((child, attributeEvent(child, trigger: name, server: server)))
            case "on-effect": events.append((child, effectEvent(child, trigger: name, server: server)))
            case "transition": transitions.append(child)
            default: unknownChild(child, in: element)
            }
        }
        guard let event = events.first.map({ $0.1 }) else {
            error(
                "trigger '\(name)' needs one of <\(prefixed("on-attestation", element))>, on-schedule, on-attribute or on-effect",
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
        guard let transition = transition(transitionElement, trigger: name, states: stateNames), let event else { return nil }
        return ServerTrigger(
            name: name, event: event, states: states, transition: transition, location: builder.modelLocation(element))
    }

    private mutating func transition(_ element: XMLElement, trigger: String, states: Set<String>) -> Transition? {
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

    private mutating func attestationEvent(_ element: XMLElement, trigger: String, server: ServerExtension) -> TriggerEvent? {
        checkAttributes(element, ["topic", "type", "filter"])
        noChildren(element)
        guard let topicText = required("topic", of: element) else { return nil }
        let topic = TopicPattern(topicText)
        guard topic.isWellFormed else {
            error("trigger '\(trigger)': topic pattern '\(topicText)' may have '*' only at its end", element)
            return nil
        }
        if !server.issuers.contains(where: { $0.topics.contains { $0.covers(topic) } }) {
            error(
                "trigger '\(trigger)': no sl:issuer is trusted for topic '\(topicText)'; such attestations would never be accepted",
                element)
        }
        var filter: FilterExpression?
        if let filterText = element.attribute("filter") {
            do {
                filter = try FilterParser.parse(filterText)
            } catch {
                self.error("trigger '\(trigger)': filter \"\(filterText)\": \(error.message) at offset \(error.offset)", element)
                return nil
            }
        }
        return .attestation(AttestationTrigger(topic: topic, type: element.attribute("type"), filter: filter))
    }

    private mutating func scheduleEvent(_ element: XMLElement, trigger: String, server: ServerExtension) -> TriggerEvent? {
        checkAttributes(element, ["at", "after", "from", "every"])
        noChildren(element)
        let given = ["at", "after", "every"].filter { element.attribute($0) != nil }
        guard given.count == 1 else {
            error("trigger '\(trigger)': <\(element.qualifiedName)> needs exactly one of at=, after= or every=", element)
            return nil
        }
        if element.attribute("from") != nil && given != ["after"] {
            error("trigger '\(trigger)': from= goes with after= only", element)
        }
        switch given[0] {
        case "at":
            let text = element.attribute("at")!
            guard ISOTimestamp.isValid(text) else {
                error("trigger '\(trigger)': at=\"\(text)\" is not an ISO 8601 timestamp with a zone (2026-03-01T08:00:00Z)", element)
                return nil
            }
            return .schedule(.at(text))
        case "after":
            guard let delay = duration(element.attribute("after")!, "after", of: element, positive: false) else { return nil }
            let anchor = ScheduleAnchor(element.attribute("from") ?? "state-entry")
            if case .attribute(let name) = anchor {
                if let attribute = server.attribute(named: name) {
                    if attribute.type != .time {
                        error("trigger '\(trigger)': from=\"\(name)\" is a \(attribute.type.rawValue) attribute, not a time", element)
                    }
                } else if server.computedAttribute(named: name) == nil {
                    error("trigger '\(trigger)': from=\"\(name)\" is neither 'state-entry' nor a time attribute", element)
                }
            }
            return .schedule(.after(delay, from: anchor))
        default:
            guard let period = duration(element.attribute("every")!, "every", of: element, positive: true) else { return nil }
            return .schedule(.every(period))
        }
    }

    /// Names an `on-attribute` may watch besides declared ones: the token's built-in attributes.
    static let builtInAttributes: Set<String> = ["ownerAddress", "tokenId", "contractAddress", "chainId"]

    private mutating func attributeEvent(_ element: XMLElement, trigger: String, server: ServerExtension) -> TriggerEvent? {
        checkAttributes(element, ["name"])
        noChildren(element)
        guard let name = required("name", of: element) else { return nil }
        let known = server.attribute(named: name) != nil || server.computedAttribute(named: name) != nil
            || script.attributes.contains { $0.name == name } || Self.builtInAttributes.contains(name)
        if !known {
            error("trigger '\(trigger)': on-attribute names an unknown attribute '\(name)'", element)
        }
        return .attributeChange(name)
    }

    private mutating func effectEvent(_ element: XMLElement, trigger: String, server: ServerExtension) -> TriggerEvent? {
        checkAttributes(element, ["effect", "outcome", "status"])
        noChildren(element)
        guard let effectName = required("effect", of: element), let outcomeText = required("outcome", of: element) else {
            return nil
        }
        guard let outcome = EffectOutcome(rawValue: outcomeText) else {
            error("trigger '\(trigger)': unknown outcome '\(outcomeText)' (expected success, timeout, error or failed)", element)
            return nil
        }
        if let effect = server.effect(named: effectName) {
            if outcome == .failed && !effect.anchorFallback {
                error(
                    "trigger '\(trigger)': effect '\(effectName)' has no <\(prefixed("fallback", element)) anchor=\"true\"/>, so it never ends in 'failed'",
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
                    error("trigger '\(trigger)': status '\(item)' is not an HTTP status or class such as 503 or 4xx", element)
                }
            }
        }
        return .effectOutcome(EffectOutcomeTrigger(effect: effectName, outcome: outcome, statuses: statuses))
    }

    // MARK: Helpers

    private func isOurs(_ element: XMLElement) -> Bool { element.namespaceURI == ServerExtension.namespaceURI }

    private func prefixed(_ localName: String, _ element: XMLElement) -> String { builder.prefixed(localName, like: element) }

    private func error(_ message: String, _ element: XMLElement) {
        builder.serverError(.invalidValue, message, at: element)
    }

    /// Children that are neither ours nor known are errors; elements of other namespaces stay ignored extensions.
    private func unknownChild(_ child: XMLElement, in parent: XMLElement) {
        guard isOurs(child) || builder.isTokenScript(child) else { return }
        builder.serverError(.unknownConstruct, "unknown element <\(child.qualifiedName)> in <\(parent.qualifiedName)>", at: child)
    }

    /// Lua and other text-only elements may not contain elements of ours.
    private func noChildren(_ element: XMLElement) {
        for child in element.elements { unknownChild(child, in: element) }
    }

    private func checkAttributes(_ element: XMLElement, _ known: Set<String>) {
        for attribute in element.attributes where attribute.namespaceURI == nil && !known.contains(attribute.localName) {
            builder.serverError(
                .unknownConstruct, "unknown attribute '\(attribute.localName)' on <\(element.qualifiedName)>", at: element)
        }
    }

    private func required(_ name: String, of element: XMLElement) -> String? {
        if let value = element.attribute(name), !value.isEmpty { return value }
        error("<\(element.qualifiedName)> needs a '\(name)' attribute", element)
        return nil
    }

    /// Records a name in its namespace of names; a second use is an error. Attributes and computed share one.
    private mutating func unique(_ kind: String, _ name: String?, _ element: XMLElement) -> String? {
        guard let name else { return nil }
        guard names[kind, default: []].insert(name).inserted else {
            error("duplicate \(kind) name '\(name)'", element)
            return nil
        }
        return name
    }

    private func list(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    private func duration(_ text: String, _ attribute: String, of element: XMLElement, positive: Bool) -> ISODuration? {
        guard let duration = ISODuration(text) else {
            error(
                "\(attribute)=\"\(text)\" on <\(element.qualifiedName)> is not an ISO 8601 duration of days, hours, minutes and seconds (PT30S, PT2H, P1DT6H)",
                element)
            return nil
        }
        if positive && duration.milliseconds == 0 {
            error("\(attribute)=\"\(text)\" on <\(element.qualifiedName)> must be longer than zero", element)
            return nil
        }
        return duration
    }
}
