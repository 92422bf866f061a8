import Foundation
internal import CTokenScriptXML

/// Reads untrusted XML with libxml2 into an `XMLElement` tree, refusing anything that could surprise the host.
///
/// libxml2 is asked for: no network (`XML_PARSE_NONET`), no DTD loading or DTD validation, no
/// `XML_PARSE_HUGE` (so its depth, text-size and entity-amplification limits stay on), and entity
/// substitution through one loader of ours that only opens files inside the document's directory.
public enum XMLDocumentReader {
    /// Reads a file, after checking its size.
    public static func read(
        file path: String, options: XMLReadOptions = .init(), schemas: XMLSchemaSet? = nil
    ) throws(XMLReadFailure) -> XMLReadResult {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let data = try readFile(absolute, display: path, limit: options.maximumDocumentBytes)
        let directory = String(absolute[..<absolute.lastIndex(of: "/")!])
        return try read(bytes: data, file: path, directory: directory.isEmpty ? "/" : directory, options: options, schemas: schemas)
    }

    /// Reads bytes already in memory; `file` names them in messages, `directory` confines entities.
    public static func read(
        bytes: [UInt8], file: String, directory: String, options: XMLReadOptions = .init(), schemas: XMLSchemaSet? = nil
    ) throws(XMLReadFailure) -> XMLReadResult {
        guard bytes.count <= options.maximumDocumentBytes else {
            throw failure(file, "document is \(bytes.count) bytes, over the limit of \(options.maximumDocumentBytes) bytes", kind: .limit)
        }
        guard bytes.count <= Int(Int32.max) else { throw failure(file, "document too large", kind: .limit) }
        _ = LibXML.initialized
        let session = ReadSession(file: file, directory: ConfinedPath(directory: directory), options: options)
        // The document URL is its real path, so libxml2 resolves relative entity URIs against its directory.
        let documentURL = session.documentRealPath
        let flags = XML_PARSE_NOENT.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue
            | XML_PARSE_NOCDATA.rawValue
        guard let context = xmlNewParserCtxt() else { throw failure(file, "libxml2 could not allocate a parser") }
        defer { xmlFreeParserCtxt(context) }
        context.pointee._private = Unmanaged.passUnretained(session).toOpaque()
        ts_xml_set_context_error_handler(context, parserErrorHandler)
        ts_xml_set_get_entity(context, recordingGetEntity)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) { pointer in
                xmlCtxtReadMemory(context, pointer, Int32(buffer.count), documentURL, nil, Int32(bitPattern: flags))
            }
        }
        guard let document else {
            if !session.problems.contains(where: { $0.severity == .error }) {
                session.report(.error, .syntax, "the document could not be parsed", line: 1, column: 1)
            }
            throw XMLReadFailure(problems: session.problems)
        }
        defer { xmlFreeDoc(document) }
        guard context.pointee.wellFormed != 0, let rootNode = xmlDocGetRootElement(document) else {
            if !session.problems.contains(where: { $0.severity == .error }) {
                session.report(.error, .syntax, "the document has no root element", line: 1, column: 1)
            }
            throw XMLReadFailure(problems: session.problems)
        }

        if let systemID = ts_xml_external_subset_id(document) {
            session.report(
                .warning, .forbiddenAccess,
                "external DTD '\(String(cString: systemID))' is never loaded (TokenScript needs no DTD)", line: 1, column: 1)
        }

        var schemaFile: String?
        if let schemas, let namespace = rootNode.pointee.ns?.pointee.href.map({ String(cString: $0) }),
           let schema = schemas.schema(forNamespace: namespace)
        {
            schemaFile = schema.file
            ServerExtensionSchema.withExtensionsDetached(under: rootNode) { schema.validate(document, reportingTo: session) }
        }
        // Our server-side extension is always checked against its embedded XSD, with or without --xsd.
        ServerExtensionSchema.validateExtensions(under: rootNode, reportingTo: session)

        let converter = TreeConverter(document: document, opaqueNamespaces: options.opaqueNamespaces)
        let root = converter.element(rootNode)
        return XMLReadResult(
            root: root, problems: session.problems, source: bytes, baseDirectory: session.confinement.directory,
            schemaFile: schemaFile)
    }

    /// Reads a regular file with one `fstat` and `read` calls, refusing it unread when it is over the limit.
    private static func readFile(_ path: String, display: String, limit: Int) throws(XMLReadFailure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(display, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(display, "cannot read: \(String(cString: strerror(errno)))") }
        guard (status.st_mode & S_IFMT) != S_IFDIR else { throw failure(display, "is a directory, not a TokenScript file") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw failure(display, "is not a regular file") }
        let size = Int(status.st_size)
        guard size <= limit else {
            throw failure(display, "file is \(size) bytes, over the limit of \(limit) bytes", kind: .limit)
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + filled, size - filled)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                if count == 0 { break }
                throw failure(display, "cannot read: \(String(cString: strerror(errno)))")
            }
            filled += count
        }
        return filled == size ? bytes : Array(bytes[..<filled])
    }

    static func failure(_ file: String, _ message: String, kind: XMLProblem.Kind = .syntax) -> XMLReadFailure {
        XMLReadFailure(problems: [XMLProblem(severity: .error, kind: kind, message: message, file: file, line: 0, column: 0)])
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

    /// The document's real path, which libxml2 reports in its messages.
    let documentRealPath: String
    /// The directory part of the name the user gave, to rebuild user-facing names of entity files.
    private let fileDirectory: String

    init(file: String, confinement: ConfinedPath, options: XMLReadOptions) {
        self.file = file
        self.confinement = confinement
        self.options = options
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

/// Process-wide libxml2 set-up, done once: parser globals and our entity loader.
enum LibXML {
    static let initialized: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader(confinedEntityLoader)
    }()
}

/// Routes every libxml2 error of a parse into its session, classified.
private let parserErrorHandler: xmlStructuredErrorFunc = { userData, error in
    guard let error, let userData else { return }
    let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let raw = ts_xml_context_private(context) else { return }
    let session = Unmanaged<ReadSession>.fromOpaque(raw).takeUnretainedValue()
    let problem = error.pointee
    var message = problem.message.map { String(cString: $0) } ?? "unknown libxml2 error"
    message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    while message.last?.isWhitespace == true { message.removeLast() }
    let severity: XMLProblem.Severity = problem.level == XML_ERR_WARNING ? .warning : .error
    let kind = classify(code: Int(problem.code), message: message)
    if kind == .limit, message.contains("entity reference loop") {
        message += " (refused by the entity expansion limit: an entity bomb?)"
    }
    session.report(
        severity, kind, message,
        file: session.displayName(for: problem.file.map { String(cString: $0) }),
        line: Int(problem.line), column: Int(problem.int2))
}

/// Limits libxml2 enforces show up as ordinary errors; name them so callers can tell a bomb from a typo.
func classify(code: Int, message: String) -> XMLProblem.Kind {
    if code == Int(XML_ERR_ENTITY_LOOP.rawValue) { return .limit }
    let lowered = message.lowercased()
    for marker in ["excessive depth", "amplification", "huge", "entity reference loop", "too large", "maximum"]
    where lowered.contains(marker) {
        return .limit
    }
    return .syntax
}

/// Notes where each entity reference is, then does what libxml2 would have done.
private let recordingGetEntity: getEntitySAXFunc = { userData, name in
    if let userData {
        let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
        if let raw = ts_xml_context_private(context) {
            let session = Unmanaged<ReadSession>.fromOpaque(raw).takeUnretainedValue()
            session.lastReference = (Int(ts_xml_context_line(context)), Int(ts_xml_context_column(context)))
        }
    }
    return xmlSAX2GetEntity(userData, name)
}

/// The one door through which libxml2 may open anything while parsing or compiling a schema.
///
/// A document parse (its session in `_private`) gets files inside its directory only; everything
/// else — other paths, any network URL — is refused with an error and replaced by empty content,
/// so the parse continues and reports every problem at once. Schema compilation (no session) may
/// read local files, since schemas come from the operator, never from the network.
private let confinedEntityLoader: xmlExternalEntityLoader = { url, publicID, context in
    guard let url else { return nil }
    let reference = String(cString: url)
    guard let context, let raw = ts_xml_context_private(context) else {
        // Relative references (a schema named on the command line) resolve against the working directory.
        let verdict = ConfinedPath(directory: "/").resolve(
            reference.hasPrefix("/") || reference.contains(":") ? reference : FileManager.default.currentDirectoryPath + "/" + reference)
        guard case .allowed(let path) = verdict else { return nil }
        return xmlNewInputFromFile(context, path)
    }
    let session = Unmanaged<ReadSession>.fromOpaque(raw).takeUnretainedValue()
    var line = Int(ts_xml_context_line(context))
    var column = Int(ts_xml_context_column(context))
    if line == 0 { (line, column) = session.lastReference }
    let empty = { xmlNewStringInputStream(context, "") }
    guard session.options.resolvesLocalEntities else {
        session.report(.error, .forbiddenAccess, "external entity '\(reference)' refused: external entities are disabled", line: line, column: column)
        return empty()
    }
    switch session.confinement.resolve(reference) {
    case .network(let target):
        session.report(.error, .forbiddenAccess, "external entity '\(target)' refused: network access is disabled", line: line, column: column)
        return empty()
    case .outside(let target):
        session.report(.error, .forbiddenAccess, "external entity '\(target)' refused: it is outside the document's directory", line: line, column: column)
        return empty()
    case .missing(let target):
        session.report(
            .warning, .missingResource,
            "external entity file '\(session.displayName(for: target))' not found; parsed without its content (unbuilt source?)",
            line: line, column: column)
        return empty()
    case .allowed(let path):
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            session.report(.error, .forbiddenAccess, "external entity '\(session.displayName(for: path))' is not a regular file", line: line, column: column)
            return empty()
        }
        guard Int(status.st_size) <= session.options.maximumEntityFileBytes else {
            session.report(.error, .limit, "external entity '\(session.displayName(for: path))' is \(status.st_size) bytes, over the limit of \(session.options.maximumEntityFileBytes)", line: line, column: column)
            return empty()
        }
        return xmlNewInputFromFile(context, path)
    }
}
