import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptXML

/// Hostile documents: each must end in a clear, located problem, with no file or network access.
@Suite("Hostile XML")
struct HostileXMLTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var kind: XMLProblem.Kind
        var message: String
        /// Expected line (0: any).
        var line: Int
        /// Whether the document still yields a tree (refused entities and includes are replaced by nothing).
        var readsTree: Bool
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(
            file: "xxe-local-file.xml", kind: .forbiddenAccess,
            message: "'/etc/passwd' refused: it is outside the document's directory", line: 8, readsTree: true),
        Case(
            file: "xxe-relative-escape.xml", kind: .forbiddenAccess,
            message: "refused: it is outside the document's directory", line: 8, readsTree: true),
        Case(
            file: "xxe-url.xml", kind: .forbiddenAccess,
            message: "'http://127.0.0.1:9/evil.dtd' refused: network access is disabled", line: 8, readsTree: true),
        Case(
            file: "xxe-parameter-entity.xml", kind: .forbiddenAccess, message: "refused: network access is disabled",
            line: 5, readsTree: true),
        Case(
            file: "xxe-external-dtd.xml", kind: .forbiddenAccess, message: "is never loaded", line: 1, readsTree: true),
        // Stopped by the substitution budget (16 MiB) before libxml2's own loop detection gets to it.
        Case(
            file: "billion-laughs.xml", kind: .limit,
            message: "over the limit of 16777216 substituted and included bytes", line: 17, readsTree: false),
        Case(file: "quadratic-blowup.xml", kind: .limit, message: "entity expansion limit", line: 8, readsTree: false),
        Case(file: "invalid-utf8.xml", kind: .syntax, message: "Input is not proper UTF-8", line: 5, readsTree: false),
        Case(file: "unclosed-tag.xml", kind: .syntax, message: "Premature end of data", line: 12, readsTree: false),
        Case(
            file: "mismatched-tag.xml", kind: .syntax, message: "Opening and ending tag mismatch", line: 5,
            readsTree: false),
    ]

    @Test("each hostile document gives a located problem of the right kind", arguments: cases)
    func hostile(_ hostile: Case) throws {
        let path = TestPaths.fixtures + "/hostile-xml/" + hostile.file
        let problems: [XMLProblem]
        do {
            let result = try XMLDocumentReader.read(file: path)
            #expect(hostile.readsTree, "expected no tree for \(hostile.file)")
            problems = result.problems
            // Nothing of a refused file made it into the tree.
            #expect(!Self.allText(result.root).contains("root:"))
        } catch {
            #expect(!hostile.readsTree, "expected a tree for \(hostile.file), got \(error)")
            problems = error.problems
        }
        let match = problems.first { $0.kind == hostile.kind && $0.message.contains(hostile.message) }
        #expect(match != nil, "no \(hostile.kind) problem containing \"\(hostile.message)\" in \(problems)")
        if let match {
            if hostile.line > 0 { #expect(match.line == hostile.line) }
            if hostile.line > 0 { #expect(match.column > 0) }
            #expect(match.file.hasSuffix(hostile.file))
        }
    }

    @Test("a 10,000-deep document stops at libxml2's depth limit with a located error")
    func deepNesting() throws {
        let depth = 10_000
        let text =
            "<?xml version=\"1.0\"?>\n<ts:token xmlns:ts=\"http://tokenscript.org/2024/01/tokenscript\">"
            + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</ts:token>"
        #expect(throws: XMLReadFailure.self) {
            try XMLDocumentReader.read(bytes: Array(text.utf8), file: "deep.xml", directory: NSTemporaryDirectory())
        }
        do {
            _ = try XMLDocumentReader.read(bytes: Array(text.utf8), file: "deep.xml", directory: NSTemporaryDirectory())
        } catch {
            let limit = error.problems.first { $0.kind == .limit }
            #expect(limit?.message.contains("Excessive depth") == true)
            #expect(limit?.line == 2)
            #expect((limit?.column ?? 0) > 0)
        }
    }

    @Test("a 100 MB document is refused before it is read")
    func hugeDocument() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/huge.xml"
        try Self.writeHugeDocument(path, megabytes: 100)
        do {
            _ = try XMLDocumentReader.read(file: path)
            Issue.record("a 100 MB document was read")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems[0].kind == .limit)
            #expect(error.problems[0].message.contains("over the limit of 16777216 bytes"))
        }
    }

    @Test("an entity file beside the document is substituted")
    func localEntity() throws {
        let result = try XMLDocumentReader.read(file: TestPaths.fixtures + "/hostile-xml/entity-in-dir/doc.xml")
        #expect(result.problems.isEmpty, "\(result.problems)")
        let css = try String(
            contentsOfFile: TestPaths.fixtures + "/hostile-xml/entity-in-dir/style.css", encoding: .utf8)
        let marker =
            css.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init)
            ?? css
        #expect(Self.allText(result.root).contains(marker.trimmingCharacters(in: .whitespaces)))
    }

    @Test("a missing entity file is a warning and the document still reads (an unbuilt source)")
    func missingEntity() throws {
        let result = try XMLDocumentReader.read(
            file: TestPaths.fixtures + "/hostile-xml/entity-in-dir/missing-entity.xml")
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.severity == .warning)
        #expect(result.problems.first?.kind == .missingResource)
    }

    @Test("an entity pointing outside the directory does not read the file")
    func canaryOutsideDirectory() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path + "/doc", withIntermediateDirectories: true)
        try "CANARY-SECRET".write(toFile: directory.path + "/secret.txt", atomically: true, encoding: .utf8)
        let document = """
            <?xml version="1.0"?>
            <!DOCTYPE ts:token [ <!ENTITY secret SYSTEM "../secret.txt"> ]>
            <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" name="t"><ts:label>\
            <ts:string>&secret;</ts:string></ts:label></ts:token>
            """
        try document.write(toFile: directory.path + "/doc/doc.xml", atomically: true, encoding: .utf8)
        let result = try XMLDocumentReader.read(file: directory.path + "/doc/doc.xml")
        #expect(!Self.allText(result.root).contains("CANARY"))
        #expect(result.problems.contains { $0.kind == .forbiddenAccess && $0.severity == .error && $0.line == 3 })
    }

    @Test("entities and DTDs naming a listening local server never connect to it")
    func noNetwork() throws {
        let listener = try LocalListener()
        let url = "http://127.0.0.1:\(listener.port)/x"
        let documents = [
            "<!DOCTYPE ts:token [ <!ENTITY e SYSTEM \"\(url)\"> ]><ts:token "
                + "xmlns:ts=\"http://tokenscript.org/2024/01/tokenscript\">&e;</ts:token>",
            "<!DOCTYPE ts:token [ <!ENTITY % p SYSTEM \"\(url)\"> %p; "
                + "]><ts:token xmlns:ts=\"http://tokenscript.org/2024/01/tokenscript\"/>",
            "<!DOCTYPE ts:token SYSTEM \"\(url)\"><ts:token xmlns:ts=\"http://tokenscript.org/2024/01/tokenscript\"/>",
            "<ts:token xmlns:ts=\"http://tokenscript.org/2024/01/tokenscript\" "
                + "xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"\(url)\"/></ts:token>",
        ]
        for document in documents {
            _ = try? XMLDocumentReader.read(
                bytes: Array(document.utf8), file: "net.xml", directory: NSTemporaryDirectory())
        }
        #expect(listener.connectionCount() == 0)
    }

    @Test("refused problems carry the document's own name, not the real path")
    func displayNames() throws {
        let result = try XMLDocumentReader.read(file: TestPaths.fixtures + "/hostile-xml/xxe-url.xml")
        #expect(result.problems.allSatisfy { $0.file.hasSuffix("Fixtures/hostile-xml/xxe-url.xml") })
    }

    static func allText(_ element: XMLElement) -> String {
        element.children.map { child in
            switch child {
            case .text(let text): text
            case .element(let element): allText(element)
            case .markup(let markup): markup.markup
            }
        }.joined()
    }

    static func writeHugeDocument(_ path: String, megabytes: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.write(
            contentsOf: Data("<ts:token xmlns:ts=\"http://tokenscript.org/2024/01/tokenscript\"><ts:style>".utf8))
        let chunk = Data(String(repeating: "a", count: 1 << 20).utf8)
        for _ in 0..<megabytes { try handle.write(contentsOf: chunk) }
        try handle.write(contentsOf: Data("</ts:style></ts:token>".utf8))
    }
}
