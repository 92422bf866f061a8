import Foundation
internal import CTokenScriptXML
import TokenScriptFileSystem

/// Reads untrusted XML with libxml2 into an `XMLElement` tree, refusing anything that could surprise the host.
///
/// libxml2 is asked for: no network (`XML_PARSE_NONET`), no DTD loading or DTD validation, no
/// `XML_PARSE_HUGE` (so its depth, text-size and entity-amplification limits stay on), and entity
/// substitution through one loader of ours that only opens files inside the document's directory.
///
/// What those limits miss is bounded here, each with a located `limit` error: the bytes all entity
/// expansions and includes add together (`SubstitutionBudget`), attributes per element, tree nodes and
/// namespace declarations (counted by `StartTagScan` before libxml2 parses a tag, since its attribute
/// checks are quadratic), and DTD attribute defaults (dropped). The parse stops at libxml2's first fatal
/// error, so its error recovery never parses bytes the scan read differently.
public enum XMLDocumentReader {
    /// Reads a file, after checking that it is a regular file within the size limit (never blocking on a FIFO).
    public static func read(
        file path: String, options: XMLReadOptions = .init(), schemas: XMLSchemaSet? = nil
    ) throws(XMLReadFailure) -> XMLReadResult {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let data: [UInt8]
        do {
            data = try RegularFile.read(absolute, limit: options.maximumDocumentBytes)
        } catch {
            let kind: XMLProblem.Kind = if case .tooLarge = error.reason { .limit } else { .syntax }
            throw failure(path, error.message, kind: kind)
        }
        let directory = String(absolute[..<absolute.lastIndex(of: "/")!])
        return try read(
            bytes: data, file: path, directory: directory.isEmpty ? "/" : directory, options: options, schemas: schemas)
    }

    /// Reads bytes already in memory; `file` names them in messages, `directory` confines entities.
    public static func read(
        bytes: [UInt8], file: String, directory: String, options: XMLReadOptions = .init(), schemas: XMLSchemaSet? = nil
    ) throws(XMLReadFailure) -> XMLReadResult {
        guard bytes.count <= options.maximumDocumentBytes else {
            throw failure(
                file, "document is \(bytes.count) bytes, over the limit of \(options.maximumDocumentBytes) bytes",
                kind: .limit)
        }
        guard bytes.count <= Int(Int32.max) else { throw failure(file, "document too large", kind: .limit) }
        if let encoding = unsupportedEncoding(bytes) { throw failure(file, "the document \(encoding)") }
        let scan = StartTagScan.scan(
            bytes, attributesPerElement: options.maximumAttributesPerElement, nodes: options.maximumNodes,
            namespaceDeclarations: options.maximumNamespaceDeclarations)
        func refuse(_ message: String, at place: (line: Int, column: Int)) -> XMLReadFailure {
            XMLReadFailure(problems: [
                XMLProblem(
                    severity: .error, kind: .limit, message: message, file: file, line: place.line, column: place.column
                )
            ])
        }
        if let crowded = scan.crowdedTag {
            throw refuse(
                crowdedMessage(crowded, limit: options.maximumAttributesPerElement), at: (crowded.line, crowded.column))
        }
        if let place = scan.nodesOverLimitAt {
            throw refuse(
                "the document has \(scan.nodes) nodes (elements, attributes, text runs, comments, instructions), "
                    + "over the limit of \(options.maximumNodes) nodes per document; the limit is passed here",
                at: place)
        }
        if let place = scan.namespacesOverLimitAt {
            throw refuse(
                "the document has \(scan.namespaceDeclarations) namespace declarations, over the limit of "
                    + "\(options.maximumNamespaceDeclarations) per document; the limit is passed here", at: place)
        }
        _ = LibXML.initialized
        let session = ReadSession(file: file, directory: ConfinedPath(directory: directory), options: options)
        session.nodes = scan.nodes
        session.namespaceDeclarations = scan.namespaceDeclarations
        if let declared = declaredEncoding(bytes) {
            session.report(
                .warning, .syntax,
                "the declared encoding '\(declared)' is ignored: TokenScript documents are read as UTF-8",
                line: 1, column: 1)
        }
        // The document URL is its real path, so libxml2 resolves relative entity URIs against its directory.
        let documentURL = session.documentRealPath
        // IGNORE_ENC: the bytes are parsed as the UTF-8 the attribute scan above read, whatever they declare.
        let flags =
            XML_PARSE_NOENT.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue
            | XML_PARSE_NOCDATA.rawValue | XML_PARSE_IGNORE_ENC.rawValue
        guard let context = xmlNewParserCtxt() else { throw failure(file, "libxml2 could not allocate a parser") }
        defer { xmlFreeParserCtxt(context) }
        context.pointee._private = Unmanaged.passUnretained(session).toOpaque()
        session.documentContext = context
        ts_xml_set_context_error_handler(context, parserErrorHandler)
        ts_xml_set_get_entity(context, chargingGetEntity)
        ts_xml_set_get_parameter_entity(context, chargingGetParameterEntity)
        ts_xml_set_external_subset(context, defaultsDroppingExternalSubset)
        ts_xml_set_entity_declaration(context, countingEntityDeclaration)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) { pointer in
                xmlCtxtReadMemory(context, pointer, Int32(buffer.count), documentURL, "UTF-8", Int32(bitPattern: flags))
            }
        }
        guard let document else {
            if !session.problems.contains(where: { $0.severity == .error }) {
                session.report(.error, .syntax, "the document could not be parsed", line: 1, column: 1)
            }
            throw XMLReadFailure(problems: session.problems)
        }
        defer { xmlFreeDoc(document) }
        guard !session.halted, context.pointee.wellFormed != 0, let rootNode = xmlDocGetRootElement(document) else {
            if !session.problems.contains(where: { $0.severity == .error }) {
                session.report(.error, .syntax, "the document has no root element", line: 1, column: 1)
            }
            throw XMLReadFailure(problems: session.problems)
        }

        if let systemID = ts_xml_external_subset_id(document) {
            session.report(
                .warning, .forbiddenAccess,
                "external DTD '\(String(cString: systemID))' is never loaded (TokenScript needs no DTD)", line: 1,
                column: 1)
        }

        var schemaFile: String?
        if let schemas, let namespace = rootNode.pointee.ns?.pointee.href.map({ String(cString: $0) }),
            let schema = schemas.schema(forNamespace: namespace)
        {
            schemaFile = schema.file
            ServerExtensionSchema.withExtensionsDetached(under: rootNode) {
                schema.validate(document, reportingTo: session)
            }
        }
        // Our server-side extension is always checked against its embedded XSD, with or without --xsd.
        ServerExtensionSchema.validateExtensions(under: rootNode, reportingTo: session)

        let converter = TreeConverter(document: document, opaqueNamespaces: options.opaqueNamespaces)
        let root = converter.element(rootNode)
        return XMLReadResult(
            root: root, problems: session.problems, source: bytes, baseDirectory: session.confinement.directory,
            schemaFile: schemaFile, substitution: session.budget)
    }

    /// Documents and entity files are UTF-8 (which also covers ASCII): a UTF-16, UTF-32 or EBCDIC start is
    /// refused, so that what libxml2 parses is byte for byte what the attribute scan read.
    static func unsupportedEncoding(_ bytes: [UInt8]) -> String? {
        let head = Array(bytes.prefix(4))
        if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) || head.contains(0) {
            return "is UTF-16 or UTF-32: only UTF-8 is read"
        }
        if head == [0x4C, 0x6F, 0xA7, 0x94] { return "is EBCDIC: only UTF-8 is read" }
        return nil
    }

    /// The encoding an XML declaration names, when it is not UTF-8 or ASCII (it is ignored: read as UTF-8).
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        guard let declaration = XMLDeclaration(bytes) else { return nil }
        return declaration.encoding.flatMap { XMLDeclaration.isUTF8($0) ? nil : $0 }
    }

    static func crowdedMessage(_ tag: StartTagScan.CrowdedTag, limit: Int) -> String {
        "element <\(tag.name)> has \(tag.attributes) attributes, over the limit of \(limit) attributes per element"
    }

    static func failure(_ file: String, _ message: String, kind: XMLProblem.Kind = .syntax) -> XMLReadFailure {
        XMLReadFailure(problems: [
            XMLProblem(severity: .error, kind: kind, message: message, file: file, line: 0, column: 0)
        ])
    }

    private static func describe(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}

/// What one read collects, reachable from libxml2 callbacks through the parser context's `_private`.
final class ReadSession {
    let file: String
    let confinement: ConfinedPath
    let options: XMLReadOptions
    var problems: [XMLProblem] = []
    /// Where the last `&name;` was seen: external entities are loaded in a fresh context that has no position.
    var lastReference: (line: Int, column: Int) = (0, 0)
    /// Entity expansions and (later, in the document layer) includes, counted against one limit.
    var budget: SubstitutionBudget
    /// Tree nodes and namespace declarations so far: the document's own, then each expansion's.
    var nodes = 0
    var namespaceDeclarations = 0
    var entityDeclarations = 0
    /// Set when a limit stopped the parse: every later callback refuses, and the read fails.
    var halted = false
    /// Entity files by real path, read once.
    var entityFiles: [String: EntityFile] = [:]
    /// Expansion costs by entity (its address), and the entities being measured (to break loops).
    var expansionCosts: [Int: ExpansionCost] = [:]
    var expansionsInProgress: Set<Int> = []
    /// The file of the external entity last referenced: its coming load was charged with the reference.
    var referencedEntityFile: String?
    /// The document's own parser context (entities are parsed in contexts of their own).
    var documentContext: xmlParserCtxtPtr?

    /// The document's real path, which libxml2 reports in its messages.
    let documentRealPath: String
    /// The directory part of the name the user gave, to rebuild user-facing names of entity files.
    private let fileDirectory: String

    init(file: String, confinement: ConfinedPath, options: XMLReadOptions) {
        self.file = file
        self.confinement = confinement
        self.options = options
        self.budget = SubstitutionBudget(limit: options.maximumSubstitutedBytes)
        let name = file.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? file
        documentRealPath = confinement.directory + "/" + name
        fileDirectory = file.contains("/") ? String(file[..<file.lastIndex(of: "/")!]) : ""
    }

    convenience init(file: String, directory: ConfinedPath, options: XMLReadOptions) {
        self.init(file: file, confinement: directory, options: options)
    }

    func report(
        _ severity: XMLProblem.Severity, _ kind: XMLProblem.Kind, _ message: String, file: String? = nil, line: Int,
        column: Int
    ) {
        // libxml2 repeats some errors once per entity reference; one copy is enough.
        let problem = XMLProblem(
            severity: severity, kind: kind, message: message, file: file ?? self.file, line: line, column: column)
        if problems.count < 1000, problems.last != problem { problems.append(problem) }
    }

    /// Turns a file path libxml2 reports (the document's real path or an entity file) into what the user typed.
    func displayName(for path: String?) -> String {
        guard let path, !path.isEmpty, path != documentRealPath else { return file }
        if path.hasPrefix(confinement.directory + "/") {
            let relative = String(path.dropFirst(confinement.directory.count + 1))
            return fileDirectory.isEmpty ? relative : fileDirectory + "/" + relative
        }
        return path
    }
}
