import Foundation
import TokenScriptModel
import TokenScriptXML
import TokenScriptJSON

/// Reads our server-side extension, `sl:server` (`https://swift-tokenscript.org/server/1`), a direct child of
/// `ts:token`.
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
            guard let uri = child.namespaceURI, let version = ServerExtension.version(ofNamespace: uri), version == 1
            else {
                warn(
                    .namespace,
                    "<\(child.qualifiedName)> is in namespace '\(child.namespaceURI ?? "")', which "
                        + "this runtime does not support (supported: \(ServerExtension.namespaceURI)); ignored",
                    at: child)
                continue
            }
            guard child.localName == "server" else {
                serverError(
                    .unknownConstruct, "<\(child.qualifiedName)> belongs inside <\(prefixed("server", like: child))>",
                    at: child)
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
/// follows, effects, then triggers and interfaces), so references can be checked as they are met.
struct ServerReader {
    let builder: ModelBuilder
    let script: TokenScript
    var names: [String: Set<String>] = [:]

    init(builder: ModelBuilder, script: TokenScript) {
        self.builder = builder
        self.script = script
    }

    static let sections = ["trust", "states", "attribute", "computed", "follow", "trigger", "effect", "interface"]

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
            error(
                "<\(element.qualifiedName)> needs <\(prefixed("states", element))> with the states of an instance",
                element)
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
        for follow in section("follow") {
            if let value = self.follow(follow, server: server) { server.follows.append(value) }
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

    mutating func issuers(_ element: XMLElement) -> [TrustedIssuer] {
        checkAttributes(element, [])
        var issuers: [TrustedIssuer] = []
        for child in ourChildren(of: element, named: ["issuer"]) {
            checkAttributes(child, ["name", "scheme", "key", "topics"])
            guard let name = unique("issuer", required("name", of: child), child),
                let schemeText = required("scheme", of: child), let key = required("key", of: child),
                let topicsText = required("topics", of: child)
            else { continue }
            guard let scheme = SignatureScheme(rawValue: schemeText) else {
                error(
                    "issuer '\(name)': unknown scheme '\(schemeText)' (expected "
                        + "\(SignatureScheme.allCases.map(\.rawValue).joined(separator: ", ")))",
                    child)
                continue
            }
            if !scheme.accepts(key: key) {
                let expected =
                    scheme == .ed25519
                    ? "a 32-byte Ed25519 public key in hex (64 hex digits)" : "a 0x address (40 hex digits)"
                error("issuer '\(name)': key '\(key)' is not \(expected), as scheme \(scheme.rawValue) needs", child)
            }
            let topics = list(topicsText).map(TopicPattern.init)
            for topic in topics where !topic.isWellFormed {
                error("issuer '\(name)': topic pattern '\(topic)' may have '*' only at its end", child)
            }
            for topic in topics where topic.text.contains("${") {
                error("issuer '\(name)': topic pattern '\(topic)': trust is per token, so it names no attribute", child)
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

    mutating func states(_ element: XMLElement) -> (String, [ServerState]) {
        checkAttributes(element, ["initial"])
        var states: [ServerState] = []
        for child in ourChildren(of: element, named: ["state"]) {
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
            error(
                "<\(element.qualifiedName)> needs an 'initial' attribute naming the state new instances start in",
                element)
        } else if !states.contains(where: { $0.name == initial }) {
            error(
                "initial state '\(initial)' is not one of the states (\(states.map(\.name).joined(separator: ", ")))",
                element)
        }
        if states.isEmpty { error("<\(element.qualifiedName)> declares no state", element) }
        return (initial, states)
    }

    mutating func attribute(_ element: XMLElement) -> ServerAttribute? {
        checkAttributes(element, ["name", "type", "initial"])
        guard let name = unique("attribute", required("name", of: element), element),
            let typeText = required("type", of: element)
        else { return nil }
        guard let type = ServerAttribute.ValueType(rawValue: typeText) else {
            error(
                "attribute '\(name)': unknown type '\(typeText)' (expected "
                    + "\(ServerAttribute.ValueType.allCases.map(\.rawValue).joined(separator: ", ")))",
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

    mutating func computed(_ element: XMLElement) -> ComputedAttribute? {
        namedLua(element, kind: "attribute", described: "computed attribute").map {
            ComputedAttribute(name: $0.name, lua: $0.lua, location: builder.modelLocation(element))
        }
    }

    mutating func interface(_ element: XMLElement) -> ServerInterface? {
        namedLua(element, kind: "interface", described: "interface").map {
            ServerInterface(name: $0.name, lua: $0.lua, location: builder.modelLocation(element))
        }
    }

    /// `sl:computed` and `sl:interface`: a `name=` unique among its `kind`, Lua as text, and nothing else.
    private mutating func namedLua(
        _ element: XMLElement, kind: String, described description: String
    ) -> (name: String, lua: LuaSource)? {
        checkAttributes(element, ["name"])
        noChildren(element)
        guard let name = unique(kind, required("name", of: element), element) else { return nil }
        guard let lua = builder.luaSource(element) else {
            error("\(description) '\(name)' has no Lua", element)
            return nil
        }
        return (name, lua)
    }

    // MARK: Helpers

    func isOurs(_ element: XMLElement) -> Bool { element.namespaceURI == ServerExtension.namespaceURI }

    func prefixed(_ localName: String, _ element: XMLElement) -> String { builder.prefixed(localName, like: element) }

    func error(_ message: String, _ element: XMLElement) {
        builder.serverError(.invalidValue, message, at: element)
    }

    /// Children that are neither ours nor known are errors; elements of other namespaces stay ignored extensions.
    func unknownChild(_ child: XMLElement, in parent: XMLElement) {
        guard isOurs(child) || builder.isTokenScript(child) else { return }
        builder.serverError(
            .unknownConstruct, "unknown element <\(child.qualifiedName)> in <\(parent.qualifiedName)>", at: child)
    }

    /// The children of ours (named one of `localNames`, when given) in document order. Any other child is
    /// reported (`unknownChild`) as the iteration reaches it, so errors keep document order.
    func ourChildren(of element: XMLElement, named localNames: Set<String>? = nil) -> LazyFilterSequence<[XMLElement]> {
        element.elements.lazy.filter { child in
            if isOurs(child), localNames?.contains(child.localName) ?? true { return true }
            unknownChild(child, in: element)
            return false
        }
    }

    /// Lua and other text-only elements may not contain elements of ours.
    func noChildren(_ element: XMLElement) {
        for child in element.elements { unknownChild(child, in: element) }
    }

    func checkAttributes(_ element: XMLElement, _ known: Set<String>) {
        for attribute in element.attributes where attribute.namespaceURI == nil && !known.contains(attribute.localName)
        {
            builder.serverError(
                .unknownConstruct, "unknown attribute '\(attribute.localName)' on <\(element.qualifiedName)>",
                at: element)
        }
    }

    func required(_ name: String, of element: XMLElement) -> String? {
        if let value = element.attribute(name), !value.isEmpty { return value }
        error("<\(element.qualifiedName)> needs a '\(name)' attribute", element)
        return nil
    }

    /// Records a name in its namespace of names; a second use is an error. Attributes and computed share one.
    mutating func unique(_ kind: String, _ name: String?, _ element: XMLElement) -> String? {
        guard let name else { return nil }
        guard names[kind, default: []].insert(name).inserted else {
            error("duplicate \(kind) name '\(name)'", element)
            return nil
        }
        return name
    }

    func list(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    func duration(_ text: String, _ attribute: String, of element: XMLElement, positive: Bool) -> ISODuration? {
        let duration: ISODuration
        do {
            duration = try ISODuration(parsing: text)
        } catch .outOfRange(let range) {
            error("\(attribute)=\"\(text)\" on <\(element.qualifiedName)> is out of range (\(range.range))", element)
            return nil
        } catch {
            self.error(
                "\(attribute)=\"\(text)\" on <\(element.qualifiedName)> is not an ISO "
                    + "8601 duration of days, hours, minutes and seconds (PT30S, PT2H, P1DT6H)",
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
