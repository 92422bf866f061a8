import TokenScriptModel
import TokenScriptXML

/// How strictly to read, and what to check besides the model.
public struct TokenScriptReadOptions: Sendable {
    /// Unknown elements, attributes and values become errors instead of warnings.
    public var strict: Bool
    /// Also validate against these XSDs (`--xsd DIR`).
    public var schemas: XMLSchemaSet?
    public var xml: XMLReadOptions

    public init(strict: Bool = false, schemas: XMLSchemaSet? = nil, xml: XMLReadOptions = .init()) {
        self.strict = strict
        self.schemas = schemas
        self.xml = xml
    }
}

/// A TokenScript read from a file, with everything worth telling its author.
public struct LoadedTokenScript: Sendable {
    public var file: String
    public var tokenScript: TokenScript
    public var diagnostics: [Diagnostic]
    /// The XSD the document was validated against, if any.
    public var schemaFile: String?

    /// A file fails validation when any diagnostic is an error (schema errors included).
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// The document could not be turned into a model at all (not XML, not TokenScript, a refused limit).
public struct TokenScriptReadError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var diagnostics: [Diagnostic]

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Reads TokenScript documents of every public version into the one `TokenScript` model.
public enum TokenScriptReader {
    public static func read(file: String, options: TokenScriptReadOptions = .init()) throws(TokenScriptReadError)
        -> LoadedTokenScript
    {
        let xml: XMLReadResult
        do {
            xml = try XMLDocumentReader.read(file: file, options: options.xml, schemas: options.schemas)
        } catch {
            throw TokenScriptReadError(file: file, diagnostics: error.problems.map(Diagnostic.init))
        }
        return try build(xml, file: file, options: options)
    }

    /// Reads a document held in memory; `directory` is where its entities and includes may be found.
    public static func read(bytes: [UInt8], file: String, directory: String, options: TokenScriptReadOptions = .init())
        throws(TokenScriptReadError) -> LoadedTokenScript
    {
        let xml: XMLReadResult
        do {
            xml = try XMLDocumentReader.read(
                bytes: bytes, file: file, directory: directory, options: options.xml, schemas: options.schemas)
        } catch {
            throw TokenScriptReadError(file: file, diagnostics: error.problems.map(Diagnostic.init))
        }
        return try build(xml, file: file, options: options)
    }

    private static func build(_ xml: XMLReadResult, file: String, options: TokenScriptReadOptions)
        throws(TokenScriptReadError) -> LoadedTokenScript
    {
        let builder = ModelBuilder(file: file, xml: xml, strict: options.strict)
        var diagnostics = xml.problems.map(Diagnostic.init)
        guard let tokenScript = builder.build() else {
            throw TokenScriptReadError(file: file, diagnostics: diagnostics + builder.diagnostics)
        }
        diagnostics += builder.diagnostics
        return LoadedTokenScript(
            file: file, tokenScript: tokenScript, diagnostics: diagnostics, schemaFile: xml.schemaFile)
    }
}

extension Diagnostic {
    /// Carries an XML-level problem into the model's diagnostic vocabulary.
    init(_ problem: XMLProblem) {
        let kind: Diagnostic.Kind =
            switch problem.kind {
            case .syntax: .syntax
            case .forbiddenAccess: .forbiddenAccess
            case .limit: .limit
            case .missingResource: .missingResource
            case .schema: .schema
            }
        self.init(
            problem.severity == .error ? .error : .warning, kind, problem.message,
            at: problem.line > 0 || problem.column > 0
                ? SourceLocation(file: problem.file, line: problem.line, column: problem.column)
                : SourceLocation(file: problem.file, line: 0, column: 0))
    }
}
