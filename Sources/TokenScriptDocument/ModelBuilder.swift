import TokenScriptModel
import TokenScriptXML

/// Turns one XML tree into a `TokenScript`, collecting diagnostics instead of stopping at the first problem.
///
/// Elements are matched by namespace and local name, never by prefix (engine-js matches the literal
/// `ts:` prefix, which breaks on documents that choose another one). Old spellings from 2019/2020
/// (`ts:name`, `ts:attribute-type`, `ts:token-card`, `ts:cards/ts:token`, `ts:selection id=`, `ts:ethereum` with
/// `ts:to`/`ts:value` or `event=` …) map onto the same model (README.md, "Older versions").
final class ModelBuilder {
    let file: String
    let xml: XMLReadResult
    let strict: Bool
    var diagnostics: [Diagnostic] = []
    /// The document's substitution budget, as entity expansion left it; each `ts:include` is charged to it.
    var substitution: SubstitutionBudget
    private var sourceText: SourceText?
    /// The root's TokenScript namespace; children in any TokenScript namespace are accepted.
    var namespace = ""

    init(file: String, xml: XMLReadResult, strict: Bool) {
        self.file = file
        self.xml = xml
        self.strict = strict
        self.substitution = xml.substitution
    }

    // MARK: Element kinds

    func isTokenScript(_ element: XMLElement) -> Bool {
        guard let uri = element.namespaceURI else { return false }
        return uri == namespace || SchemaVersion(namespace: uri) != nil
    }

    func isTokenScript(_ element: XMLElement, _ localName: String) -> Bool {
        element.localName == localName && isTokenScript(element)
    }

    func isEthereum(_ element: XMLElement) -> Bool { element.namespaceURI == XMLNamespace.ethereum }

    /// The TokenScript children of `element` in document order. Any other child is reported (`unknown`) as
    /// the iteration reaches it, so diagnostics keep document order: the loop every reader used to spell out.
    func tokenScriptChildren(of element: XMLElement) -> LazyFilterSequence<[XMLElement]> {
        element.elements.lazy.filter { child in
            if self.isTokenScript(child) { return true }
            self.unknown(child, in: element)
            return false
        }
    }

    /// The `ts:<localName>` children of a container such as `ts:selections`, each read by `read`; any other
    /// child is reported (`unknown`), and a child `read` refuses is left out (it has reported why).
    func tokenScriptChildren<Value>(
        _ localName: String, of container: XMLElement, _ read: (XMLElement) -> Value?
    ) -> [Value] {
        container.elements.compactMap { item in
            guard isTokenScript(item, localName) else {
                unknown(item, in: container)
                return nil
            }
            return read(item)
        }
    }

    // MARK: Locations and diagnostics

    /// Where an element starts; models keep the line, diagnostics also get the column.
    func modelLocation(_ element: XMLElement) -> SourceLocation {
        SourceLocation(file: file, line: element.line, column: 0)
    }

    func location(_ element: XMLElement) -> SourceLocation {
        if sourceText == nil { sourceText = SourceText(xml.source) }
        let column = sourceText!.column(ofTag: element.qualifiedName, line: element.line)
        return SourceLocation(file: file, line: element.line, column: column)
    }

    func error(_ kind: Diagnostic.Kind, _ message: String, at element: XMLElement) {
        diagnostics.append(Diagnostic(.error, kind, message, at: location(element)))
    }

    /// A problem that lenient reading tolerates and strict reading refuses.
    func complain(_ kind: Diagnostic.Kind, _ message: String, at element: XMLElement) {
        diagnostics.append(Diagnostic(strict ? .error : .warning, kind, message, at: location(element)))
    }

    func warn(_ kind: Diagnostic.Kind, _ message: String, at element: XMLElement) {
        diagnostics.append(Diagnostic(.warning, kind, message, at: location(element)))
    }

    /// Reports a child nobody reads. Elements of other namespaces are extensions, which TokenScript
    /// runtimes ignore by design, so only TokenScript and Ethereum elements are reported.
    func unknown(_ child: XMLElement, in parent: XMLElement) {
        guard isTokenScript(child) || isEthereum(child) else { return }
        complain(.unknownConstruct, "unknown element <\(child.qualifiedName)> in <\(parent.qualifiedName)>", at: child)
    }

    /// Reports attributes without a namespace that the element does not define.
    func checkAttributes(_ element: XMLElement, _ known: Set<String>) {
        for attribute in element.attributes where attribute.namespaceURI == nil && !known.contains(attribute.localName)
        {
            complain(
                .unknownConstruct, "unknown attribute '\(attribute.localName)' on <\(element.qualifiedName)>",
                at: element)
        }
    }

    /// A required attribute; its absence is an error that names the element.
    func required(_ name: String, of element: XMLElement) -> String? {
        if let value = element.attribute(name), !value.isEmpty { return value }
        error(.invalidValue, "<\(element.qualifiedName)> needs a '\(name)' attribute", at: element)
        return nil
    }

    /// Text content with surrounding whitespace removed.
    func trimmedText(_ element: XMLElement) -> String {
        element.text.trimmingWhitespace()
    }

    // MARK: Shared value parsers

    func conversion(_ element: XMLElement) -> ValueConversion? {
        guard let text = element.attribute("as") else { return nil }
        guard let conversion = ValueConversion(text) else {
            complain(.invalidValue, "unknown as=\"\(text)\" on <\(element.qualifiedName)>", at: element)
            return nil
        }
        return conversion
    }

    func bitmask(_ element: XMLElement) -> Bitmask? {
        guard let text = element.attribute("bitmask") else { return nil }
        guard let mask = Bitmask(text) else {
            complain(
                .invalidValue, "bitmask \"\(text)\" on <\(element.qualifiedName)> is not up to 64 hex digits",
                at: element)
            return nil
        }
        return mask
    }

    func boolean(_ element: XMLElement, _ name: String) -> Bool? {
        guard let text = element.attribute(name) else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default:
            complain(.invalidValue, "\(name)=\"\(text)\" on <\(element.qualifiedName)> is not a boolean", at: element)
            return nil
        }
    }

    /// Space-separated lists (`exclude`, `origins`).
    func list(_ element: XMLElement, _ name: String) -> [String] {
        (element.attribute(name) ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
