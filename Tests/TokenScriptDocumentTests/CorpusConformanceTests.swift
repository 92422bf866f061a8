import Foundation
import Testing
import TokenScriptDocument
import TokenScriptModel
import TokenScriptTesting
import TokenScriptXML

/// Every public TokenScript in `../shared/corpus` reads in lenient mode into a model whose counts
/// match an independent count of the raw XML, and XSD validation agrees with what libxml2 said in INDEX.tsv.
@Suite("Public corpus", .needsShared)
struct CorpusConformanceTests {
    @Test("the corpus and its index are there")
    func corpusPresent() {
        #expect(CorpusEntry.all.count >= 70, "INDEX.tsv not found or short under \(TestPaths.corpus)")
        #expect(TestPaths.corpusFiles().count == CorpusEntry.all.count)
    }

    @Test("every file reads leniently into a model that matches an independent count", arguments: CorpusEntry.all)
    func readsLeniently(_ entry: CorpusEntry) throws {
        let loaded = try TokenScriptReader.read(file: entry.path)
        let script = loaded.tokenScript
        #expect(script.version.description == entry.version)

        let raw = RawCounts(text: try String(contentsOfFile: entry.path, encoding: .utf8))
        #expect(script.namespace == raw.namespace)
        #expect(script.attributes.count + script.cards.reduce(0) { $0 + $1.attributes.count } == raw.attributes)
        #expect(script.cards.count == raw.cards)
        #expect(script.selections.count + script.cards.reduce(0) { $0 + $1.selections.count } == raw.selections)

        // Lenient reading leaves only one kind of error: an entity or include that would leave the document's
        // directory.
        for error in loaded.errors {
            #expect(error.kind == .forbiddenAccess, "\(error)")
        }
        if entry.isUnbuiltSource && entry.features.contains("dtd-entities=") {
            #expect(
                loaded.diagnostics.contains { $0.kind == .missingResource || $0.kind == .forbiddenAccess },
                "an unbuilt source should say which entities it could not load")
        }
        // Every selection's filter parses.
        for selection in script.selections {
            #expect(selection.filter != nil, "\(selection.name): \(selection.filterText)")
        }
    }

    @Test("only the sources that reach outside their directory have errors")
    func errorsAreConfinementRefusals() throws {
        var refused: [String] = []
        for entry in CorpusEntry.all {
            let loaded = try TokenScriptReader.read(file: entry.path)
            if loaded.hasErrors { refused.append(entry.file) }
        }
        // These three unbuilt sources name ../BestRates/… and ../SAI/…: entities are confined to the document's
        // directory.
        #expect(
            refused.sorted() == [
                "SmartTokenLabs__TokenScript-Examples__examples__erc20__DAI__DAI.xml",
                "SmartTokenLabs__TokenScript-Examples__examples__erc20__USDC__USDC.xml",
                "SmartTokenLabs__TokenScript-Examples__examples__erc20__WETH__WETH.xml",
            ])
    }

    static let schemas: XMLSchemaSet? = try? XMLSchemaSet(directory: TestPaths.xsd)

    static var schemaCases: [CorpusEntry] { CorpusEntry.all.filter { $0.expectedSchemaOutcome != nil } }

    @Test(
        "with --xsd, files the XSDs accept are accepted and the others rejected with the schema's message",
        arguments: schemaCases)
    func schemaValidation(_ entry: CorpusEntry) throws {
        let schemas = try #require(Self.schemas)
        let loaded = try TokenScriptReader.read(file: entry.path, options: TokenScriptReadOptions(schemas: schemas))
        #expect(loaded.schemaFile != nil)
        let schemaErrors = loaded.diagnostics.filter { $0.kind == .schema && $0.severity == .error }
        switch entry.expectedSchemaOutcome {
        case .valid:
            #expect(schemaErrors.isEmpty, "\(schemaErrors.prefix(3))")
        case .invalid(let expected):
            #expect(!schemaErrors.isEmpty)
            let wanted = Self.normalized(expected)
            let found = schemaErrors.contains { Self.normalized($0.message).hasPrefix(String(wanted.prefix(120))) }
            #expect(found, "expected \"\(expected)\" among \(schemaErrors.prefix(3).map(\.message))")
            #expect(schemaErrors.allSatisfy { ($0.location?.line ?? 0) > 0 })
        case nil:
            Issue.record("no expectation")
        }
    }

    @Test("the libxml2-incompatible copy of the 2020/06 schema is skipped for the one that compiles")
    func schemaFallback() throws {
        let schemas = try #require(Self.schemas)
        #expect(schemas.namespaces.contains("http://tokenscript.org/2020/06/tokenscript"))
        let loaded = try TokenScriptReader.read(
            file: TestPaths.corpus + "/SmartTokenLabs__TokenScript__bootstrap-js__BOOKY.xml",
            options: TokenScriptReadOptions(schemas: schemas))
        #expect(loaded.schemaFile?.hasSuffix("SmartTokenLabs-TokenScript-schema/tokenscript.xsd") == true)
        #expect(schemas.compilationProblems.contains { $0.contains("2020-06/tokenscript.xsd") })
    }

    /// Element names print as `'{uri}local'` or `'prefix:local'` depending on the libxml2 build: compare local names.
    static func normalized(_ message: String) -> String {
        message.replacingOccurrences(of: "'\\{[^}]*\\}", with: "'", options: .regularExpression)
            .replacingOccurrences(of: "'[A-Za-z_][\\w.-]*:", with: "'", options: .regularExpression)
            .trimmingCharacters(in: .whitespaces)
    }
}
