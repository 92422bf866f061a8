internal import CTokenScriptXML

/// Validates our server-side extension (`sl:server`, namespace `https://swift-tokenscript.org/server/1`)
/// against its XSD, embedded in the binary and compiled once per process.
///
/// The public TokenScript XSDs do not allow foreign elements, and our elements sit inside a TokenScript
/// document, so the extension is checked on its own: each child of the root element in our namespace is
/// copied into a document of its own and validated there. This always happens, with or
/// without `--xsd`, and costs nothing for documents without the extension. Errors keep the original lines.
public enum ServerExtensionSchema {
    /// The namespace this schema defines (also `ServerExtension.namespaceURI` in the model).
    public static let namespace = "https://swift-tokenscript.org/server/1"
    /// The name the XSD ships under: `Sources/TokenScriptXML/Schemas/tokenscript-server-1.xsd`.
    public static let fileName = "tokenscript-server-1.xsd"

    /// Why the embedded schema did not compile; empty when it did (checked by the tests).
    public static var compilationProblems: [String] { compiled.problems }

    private static let compiled: (schema: EmbeddedSchema?, problems: [String]) = EmbeddedSchema.compile(text)

    /// Validates every subtree in our namespace below `root`, reporting schema errors into the session.
    static func validateExtensions(under root: xmlNodePtr, reportingTo session: ReadSession) {
        let subtrees = extensionRoots(under: root)
        guard !subtrees.isEmpty else { return }
        guard let schema = compiled.schema else {
            session.report(
                .error, .schema,
                "the embedded \(fileName) does not compile: \(compiled.problems.first ?? "unknown error")",
                line: Int(xmlGetLineNo(subtrees[0])), column: 0)
            return
        }
        for subtree in subtrees { schema.validateCopy(of: subtree, reportingTo: session) }
    }

    /// Runs `body` (public-XSD validation) with our subtrees taken out of the document and put back after:
    /// the public schemas have closed content models, and an extension other runtimes ignore must not make
    /// a TokenScript invalid against them.
    static func withExtensionsDetached<T>(under root: xmlNodePtr, _ body: () -> T) -> T {
        let subtrees = extensionRoots(under: root)
        guard !subtrees.isEmpty else { return body() }
        let places = subtrees.map { (node: $0, parent: $0.pointee.parent, next: $0.pointee.next) }
        for place in places { xmlUnlinkNode(place.node) }
        defer {
            for place in places.reversed() {
                if let next = place.next {
                    xmlAddPrevSibling(next, place.node)
                } else if let parent = place.parent {
                    xmlAddChild(parent, place.node)
                }
            }
        }
        return body()
    }

    /// The root's children in our namespace: `sl:server` lives directly under `ts:token` (where the reader
    /// looks for it), so a walk of the whole document — megabytes of view markup — is not needed.
    private static func extensionRoots(under root: xmlNodePtr) -> [xmlNodePtr] {
        var found: [xmlNodePtr] = []
        var child = root.pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE, isOurs(node) { found.append(node) }
            child = node.pointee.next
        }
        return found
    }

    private static func isOurs(_ node: xmlNodePtr) -> Bool {
        guard let href = node.pointee.ns?.pointee.href else { return false }
        return namespace.withCString { expected in
            expected.withMemoryRebound(to: xmlChar.self, capacity: namespace.utf8.count + 1) {
                xmlStrEqual(href, $0) != 0
            }
        }
    }
}

/// A schema compiled from memory. A libxml2 `xmlSchema` may validate from several threads, each with its own context.
private final class EmbeddedSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr

    private init(schema: xmlSchemaPtr) {
        self.schema = schema
    }

    static func compile(_ text: String) -> (EmbeddedSchema?, [String]) {
        _ = LibXML.initialized
        let collector = SchemaMessages()
        let bytes = Array(text.utf8)
        let parsed: xmlSchemaPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                guard let parser = xmlSchemaNewMemParserCtxt(pointer, Int32(buffer.count)) else { return nil }
                defer { xmlSchemaFreeParserCtxt(parser) }
                xmlSchemaSetParserStructuredErrors(
                    parser, collectSchemaMessage, Unmanaged.passUnretained(collector).toOpaque())
                return xmlSchemaParse(parser)
            }
        }
        guard let parsed else {
            return (nil, collector.messages.isEmpty ? ["xmlSchemaParse failed"] : collector.messages)
        }
        return (EmbeddedSchema(schema: parsed), [])
    }

    func validateCopy(of node: xmlNodePtr, reportingTo session: ReadSession) {
        guard let document = xmlNewDoc(nil) else { return }
        defer { xmlFreeDoc(document) }
        // A recursive copy keeps line numbers and declares the namespaces the subtree uses on its new root.
        guard let copy = xmlDocCopyNode(node, document, 1) else { return }
        xmlDocSetRootElement(document, copy)
        guard let context = xmlSchemaNewValidCtxt(schema) else { return }
        defer { xmlSchemaFreeValidCtxt(context) }
        let prefix = node.pointee.ns?.pointee.prefix.map { String(cString: $0) + ":" } ?? ""
        let sink = ValidationSink(session: session, prefix: prefix)
        xmlSchemaSetValidStructuredErrors(context, reportValidationError, Unmanaged.passUnretained(sink).toOpaque())
        _ = xmlSchemaValidateDoc(context, document)
    }
}

private final class SchemaMessages {
    var messages: [String] = []
}

private final class ValidationSink {
    let session: ReadSession
    /// `sl:` (the document's own prefix) replaces `{namespace}` in libxml2's messages.
    let prefix: String

    init(session: ReadSession, prefix: String) {
        self.session = session
        self.prefix = prefix
    }
}

private let collectSchemaMessage: xmlStructuredErrorFunc = { userData, error in
    guard let userData, let error else { return }
    let collector = Unmanaged<SchemaMessages>.fromOpaque(userData).takeUnretainedValue()
    var message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    while message.last?.isWhitespace == true { message.removeLast() }
    collector.messages.append("line \(error.pointee.line): \(message)")
}

private let reportValidationError: xmlStructuredErrorFunc = { userData, error in
    guard let userData, let error else { return }
    let sink = Unmanaged<ValidationSink>.fromOpaque(userData).takeUnretainedValue()
    var message = error.pointee.message.map { String(cString: $0) } ?? "unknown schema error"
    while message.last?.isWhitespace == true { message.removeLast() }
    message = message.replacingAll("{\(ServerExtensionSchema.namespace)}", with: sink.prefix)
    let severity: XMLProblem.Severity = error.pointee.level == XML_ERR_WARNING ? .warning : .error
    sink.session.report(
        severity, .schema, "server extension (\(ServerExtensionSchema.fileName)): \(message)",
        line: Int(error.pointee.line), column: 0)
}

extension String {
    /// Replaces every occurrence of `target` (a plain substring search; no Foundation needed).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
