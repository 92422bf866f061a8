import Foundation
import TokenScriptFileSystem
internal import CTokenScriptXML

/// The XSD files a user supplied with `--xsd DIR`, found by the namespace they define.
///
/// A directory may hold several schemas for one namespace (the public 2020/06 schema exists in two
/// copies, one of which libxml2 cannot compile); they are tried in path order and the first that
/// compiles is used. Compilation happens once per namespace, on first use, and is shared by threads.
public final class XMLSchemaSet: @unchecked Sendable {
    public let directory: String
    /// Candidate schema files per target namespace, in the order they are tried.
    public let candidates: [String: [String]]
    private let lock = NSLock()
    private var compiled: [String: CompiledSchema?] = [:]
    private var compileProblems: [String] = []

    /// Scans `directory` recursively for XSD files that define a TokenScript `token` element.
    public init(directory given: String) throws(XMLReadFailure) {
        // Absolute, so that libxml2 resolves the schemas' imports wherever the process runs.
        let directory = URL(fileURLWithPath: given).standardizedFileURL.path
        self.directory = directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw XMLDocumentReader.failure(given, "--xsd needs a directory of XSD files")
        }
        var found: [String: [String]] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var paths: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".xsd") { paths.append((directory as NSString).appendingPathComponent(relative)) }
        }
        for path in paths.sorted() {
            // Regular files only: a FIFO named *.xsd must not block the scan.
            guard let text = try? RegularFile.readText(path, limit: 16 << 20),
                let namespace = Self.targetNamespace(in: text),
                text.contains("name=\"token\"")
            else { continue }
            found[namespace, default: []].append(path)
        }
        // Files named tokenscript.xsd are the entry points; keep path order within each group.
        self.candidates = found.mapValues { paths in
            paths.filter { $0.hasSuffix("/tokenscript.xsd") } + paths.filter { !$0.hasSuffix("/tokenscript.xsd") }
        }
        _ = LibXML.initialized
    }

    deinit {
        for case let schema?? in compiled.values { schema.free() }
    }

    /// Namespaces this set can validate.
    public var namespaces: [String] { candidates.keys.sorted() }

    /// Messages from schemas that failed to compile (shown once, by the caller).
    public var compilationProblems: [String] {
        lock.lock()
        defer { lock.unlock() }
        return compileProblems
    }

    func schema(forNamespace namespace: String) -> CompiledSchema? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = compiled[namespace] { return cached }
        var result: CompiledSchema?
        for path in candidates[namespace] ?? [] {
            let (schema, problems) = CompiledSchema.compile(path)
            if let schema {
                result = schema
                break
            }
            compileProblems.append("\(path): failed to compile: \(problems.first ?? "unknown error")")
        }
        compiled[namespace] = result
        return result
    }

    static func targetNamespace(in text: String) -> String? {
        guard let range = text.range(of: "targetNamespace=\"") else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

/// One compiled XSD; a libxml2 `xmlSchema` may validate from several threads, each with its own context.
final class CompiledSchema: @unchecked Sendable {
    let file: String
    private let schema: xmlSchemaPtr

    private init(file: String, schema: xmlSchemaPtr) {
        self.file = file
        self.schema = schema
    }

    static func compile(_ path: String) -> (CompiledSchema?, [String]) {
        let collector = MessageCollector()
        guard let parser = xmlSchemaNewParserCtxt(path) else { return (nil, ["cannot create a schema parser"]) }
        defer { xmlSchemaFreeParserCtxt(parser) }
        let collecting = Unmanaged.passUnretained(collector).toOpaque()
        xmlSchemaSetParserStructuredErrors(parser, collectMessage, collecting)
        // The documents the schema parser opens for its imports get parser contexts of their own, which would
        // print their I/O warnings (a missing import) to stderr: collect those too, on this thread, meanwhile.
        xmlSetStructuredErrorFunc(collecting, collectMessage)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        guard let schema = xmlSchemaParse(parser) else { return (nil, collector.messages) }
        return (CompiledSchema(file: path, schema: schema), [])
    }

    func free() { xmlSchemaFree(schema) }

    func validate(_ document: xmlDocPtr, reportingTo session: ReadSession) {
        guard let context = xmlSchemaNewValidCtxt(schema) else { return }
        defer { xmlSchemaFreeValidCtxt(context) }
        xmlSchemaSetValidStructuredErrors(context, schemaErrorHandler, Unmanaged.passUnretained(session).toOpaque())
        _ = xmlSchemaValidateDoc(context, document)
    }
}

private final class MessageCollector {
    var messages: [String] = []
}

private let collectMessage: xmlStructuredErrorFunc = { userData, error in
    guard let userData, let error else { return }
    let collector = Unmanaged<MessageCollector>.fromOpaque(userData).takeUnretainedValue()
    var message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    while message.last?.isWhitespace == true { message.removeLast() }
    let file = error.pointee.file.map { String(cString: $0) } ?? ""
    collector.messages.append(file.isEmpty ? message : "\(file):\(error.pointee.line): \(message)")
}

private let schemaErrorHandler: xmlStructuredErrorFunc = { userData, error in
    guard let userData, let error else { return }
    let session = Unmanaged<ReadSession>.fromOpaque(userData).takeUnretainedValue()
    var message = error.pointee.message.map { String(cString: $0) } ?? "unknown schema error"
    while message.last?.isWhitespace == true { message.removeLast() }
    let severity: XMLProblem.Severity = error.pointee.level == XML_ERR_WARNING ? .warning : .error
    session.report(
        severity, .schema, message, file: session.displayName(for: error.pointee.file.map { String(cString: $0) }),
        line: Int(error.pointee.line), column: Int(error.pointee.int2))
}
