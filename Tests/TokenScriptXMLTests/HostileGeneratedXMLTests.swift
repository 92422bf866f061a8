import Foundation
import Testing
import TokenScriptFileSystem
import TokenScriptTesting
@testable import TokenScriptXML

/// Hostile documents too big to commit, generated into a temporary directory: what libxml2's own limits
/// do not catch (issue 8, class 7). Each ends in one clear, located `limit` problem, quickly, and the
/// next read is unaffected. Their time and memory are measured by `Benchmarks/run-hostile-xml-benchmark.sh`.
@Suite("Hostile XML, generated")
struct HostileGeneratedXMLTests {
    static let namespace = "http://tokenscript.org/2024/01/tokenscript"

    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        /// Writes the document (and any files beside it) into the directory; returns the document's name.
        var write: @Sendable (String) throws -> String
        var kind: XMLProblem.Kind
        var message: String
        /// Expected line of the problem (0: any), and the file it is in when not the document.
        var line: Int
        var inFile: String?
        /// Whether a tree is still built (a refused entity file is replaced by nothing, like any refused entity).
        var readsTree = false
        var testDescription: String { label }
    }

    static func attributes(_ count: Int, prefix: String = "a") -> String {
        (0..<count).map { "\(prefix)\($0)=\"\"" }.joined(separator: " ")
    }

    static func document(_ body: String, doctype: String = "") -> String {
        "<?xml version=\"1.0\"?>\n" + doctype + "<ts:token xmlns:ts=\"\(namespace)\">\n" + body + "\n</ts:token>\n"
    }

    static func write(_ text: String, _ directory: String, _ name: String) throws -> String {
        try text.write(toFile: directory + "/" + name, atomically: false, encoding: .utf8)
        return name
    }

    static let cases: [Case] = [
        Case(
            label: "400 references to one 4 MB entity file",
            write: { directory in
                try String(repeating: "x", count: (4 << 20) - 4096).write(
                    toFile: directory + "/big.txt", atomically: false, encoding: .utf8)
                let references = String(repeating: "&big;", count: 400)
                return try write(
                    document(
                        "<ts:label>\(references)</ts:label>",
                        doctype: "<!DOCTYPE ts:token [ <!ENTITY big SYSTEM \"big.txt\"> ]>\n"),
                    directory, "many-references.xml")
            },
            kind: .limit, message: "over the limit of 16777216 substituted and included bytes", line: 4),
        Case(
            label: "an entity file referenced through a chain of small internal entities",
            write: { directory in
                try String(repeating: "y", count: 1 << 20).write(
                    toFile: directory + "/mid.txt", atomically: false, encoding: .utf8)
                let doctype =
                    "<!DOCTYPE ts:token [ <!ENTITY m SYSTEM \"mid.txt\"> "
                    + "<!ENTITY ten \"&m;&m;&m;&m;&m;&m;&m;&m;&m;&m;\"> ]>\n"
                return try write(document("<ts:label>&ten;&ten;</ts:label>", doctype: doctype), directory, "chain.xml")
            },
            kind: .limit, message: "substituted and included bytes", line: 4),
        Case(
            label: "an external parameter entity loaded again and again",
            write: { directory in
                try ("<!-- " + String(repeating: "z", count: 1 << 20) + " -->").write(
                    toFile: directory + "/p.dtd", atomically: false, encoding: .utf8)
                // libxml2 refuses a second reference to one external parameter entity, so: forty entities, one file.
                let doctype =
                    "<!DOCTYPE ts:token [ "
                    + (0..<40).map { "<!ENTITY % p\($0) SYSTEM \"p.dtd\"> %p\($0);" }.joined(separator: " ") + " ]>\n"
                return try write(document("<ts:label/>", doctype: doctype), directory, "parameter-entities.xml")
            },
            kind: .limit, message: "substituted and included bytes", line: 2),
        Case(
            label: "80,000 attributes on one element",
            write: { try write(document("<ts:label \(attributes(80_000))/>"), $0, "attributes-80k.xml") },
            kind: .limit,
            message: "element <ts:label> has 80000 attributes, over the limit of 1024 attributes per element", line: 3),
        Case(
            label: "1,000,000 attributes on one element",
            write: { try write(document("<x \(attributes(1_000_000))/>"), $0, "attributes-1m.xml") },
            kind: .limit, message: "has 1000000 attributes, over the limit of 1024", line: 3),
        Case(
            label: "1,025 namespace declarations on one element",
            write: { directory in
                let declarations = (0..<1025).map { "xmlns:p\($0)=\"urn:\($0)\"" }.joined(separator: " ")
                return try write(document("<x \(declarations)/>"), directory, "namespaces.xml")
            },
            kind: .limit, message: "has 1025 attributes, over the limit of 1024", line: 3),
        Case(
            label: "4 million empty elements (16 MB): a gigabyte of tree",
            write: { try write(document(String(repeating: "<a/>", count: 4_000_000)), $0, "elements.xml") },
            kind: .limit, message: "over the limit of 200000 nodes per document", line: 3),
        Case(
            label: "200,000 elements through entity references",
            write: { directory in
                let doctype = "<!DOCTYPE ts:token [ <!ENTITY e \"" + String(repeating: "<a/>", count: 5000) + "\"> ]>\n"
                return try write(
                    document("<ts:label>" + String(repeating: "&e;", count: 100) + "</ts:label>", doctype: doctype),
                    directory, "entity-elements.xml")
            },
            kind: .limit, message: "the reference to entity 'e' would bring the document to 200011 nodes", line: 4),
        Case(
            label: "1,101 namespace declarations over 12 nested elements",
            write: { directory in
                let open = (0..<11).map { depth in
                    "<e xmlns:p\(depth)=\"urn:x\" "
                        + (0..<99).map { "xmlns:q\(depth)_\($0)=\"urn:\($0)\"" }.joined(separator: " ") + ">\n"
                }.joined()
                return try write(
                    document(open + String(repeating: "</e>", count: 11)), directory, "namespace-declarations.xml")
            },
            kind: .limit, message: "the document has 1101 namespace declarations, over the limit of 1024 per document",
            line: 13),
        Case(
            label: "600,000 entity declarations (19 s in libxml2)",
            write: { directory in
                let declarations = (0..<600_000).map { "<!ENTITY e\($0) \"x\">" }.joined()
                return try write(
                    document("<ts:label/>", doctype: "<!DOCTYPE ts:token [ \(declarations) ]>\n"), directory,
                    "declarations.xml")
            },
            kind: .limit, message: "more than 10000 entity declarations in one document", line: 2),
        Case(
            label: "an over-full element hidden in an internal entity's replacement text",
            write: { directory in
                let element = "&#60;x " + attributes(2000).replacingOccurrences(of: "\"", with: "'") + "/>"
                return try write(
                    document(
                        "<ts:label>\n&crowd;</ts:label>",
                        doctype: "<!DOCTYPE ts:token [ <!ENTITY crowd \"\(element)\"> ]>\n"),
                    directory, "entity-attributes.xml")
            },
            kind: .limit, message: "entity 'crowd': element <x> has 2000 attributes", line: 5),
        Case(
            label: "an over-full element in an external entity file",
            write: { directory in
                try ("\n\n  <x " + attributes(5000) + "/>").write(
                    toFile: directory + "/crowd.xml", atomically: false, encoding: .utf8)
                return try write(
                    document(
                        "<ts:label>&crowd;</ts:label>",
                        doctype: "<!DOCTYPE ts:token [ <!ENTITY crowd SYSTEM \"crowd.xml\"> ]>\n"),
                    directory, "entity-file-attributes.xml")
            },
            kind: .limit, message: "element <x> has 5000 attributes", line: 3, inFile: "crowd.xml", readsTree: true),
        Case(
            label: "an attribute value opened with a quote that hides an over-full element",
            write: { directory in
                try write(
                    document("<ts:label x=\"<y \(attributes(100_000).replacingOccurrences(of: "\"", with: "'"))/>\"/>"),
                    directory, "hidden-in-quote.xml")
            },
            // libxml2 ends an attribute value at `<` and would go on to parse <y …>: so does the scan.
            kind: .limit, message: "element <y> has 100000 attributes", line: 3),
        Case(
            label: "a UTF-16 document",
            write: { directory in
                var bytes: [UInt8] = [0xFF, 0xFE]
                for unit in document("<ts:label/>").utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
                try Data(bytes).write(to: URL(fileURLWithPath: directory + "/utf16.xml"))
                return "utf16.xml"
            },
            kind: .syntax, message: "is UTF-16 or UTF-32: only UTF-8 is read", line: 0),
    ]

    @Test("each generated hostile document gives one located problem of the right kind", arguments: cases)
    func hostile(_ hostile: Case) async throws {
        let directory = try TemporaryDirectory()
        let name = try hostile.write(directory.path)
        let path = directory.path + "/" + name
        // Bounded: a regression to the quadratic path must fail, not stall the run.
        let outcome = await BoundedWait.run(seconds: 60) { () -> Result<[XMLProblem], XMLReadFailure> in
            do throws(XMLReadFailure) {
                return .success(try XMLDocumentReader.read(file: path).problems)
            } catch {
                return .failure(error)
            }
        }
        guard let outcome else {
            Issue.record("reading \(name) took over 60 s")
            return
        }
        let problems: [XMLProblem]
        switch outcome {
        case .success(let read):
            #expect(hostile.readsTree, "\(name) was read: \(read)")
            problems = read
        case .failure(let failure):
            #expect(!hostile.readsTree, "\(name) was not read: \(failure)")
            problems = failure.problems
        }
        let match = problems.first { $0.kind == hostile.kind && $0.message.contains(hostile.message) }
        #expect(match != nil, "no \(hostile.kind) problem containing \"\(hostile.message)\" in \(problems)")
        if let match {
            #expect(match.severity == .error)
            #expect(match.file.hasSuffix(hostile.inFile ?? name), "\(match.file)")
            if hostile.line > 0 {
                #expect(match.line == hostile.line, "\(match)")
                #expect(match.column > 0, "\(match)")
            }
        }
        // The next read in the same process is unaffected.
        let good = try Self.write(Self.document("<ts:label a=\"1\"/>"), directory.path, "good.xml")
        #expect(try XMLDocumentReader.read(file: directory.path + "/" + good).problems.isEmpty)
    }

    @Test("1,024 attributes, and entity expansions up to the budget, are read")
    func withinLimits() throws {
        let directory = try TemporaryDirectory()
        _ = try Self.write(Self.document("<x \(Self.attributes(1024))/>"), directory.path, "full.xml")
        #expect(try XMLDocumentReader.read(file: directory.path + "/full.xml").problems.isEmpty)
        try String(repeating: "x", count: 1 << 20).write(
            toFile: directory.path + "/m.txt", atomically: false, encoding: .utf8)
        let references = String(repeating: "&m;", count: 15)
        _ = try Self.write(
            Self.document(
                "<ts:label>\(references)</ts:label>",
                doctype: "<!DOCTYPE ts:token [ <!ENTITY m SYSTEM \"m.txt\"> ]>\n"),
            directory.path, "fifteen.xml")
        let result = try XMLDocumentReader.read(file: directory.path + "/fifteen.xml")
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.substitution.used == 15 << 20)
    }

    @Test("attribute defaults declared in the DTD are dropped with a warning, not applied to every element")
    func attributeDefaults() throws {
        let declarations = (0..<20_000).map { "<!ATTLIST x d\($0) CDATA \"v\">" }.joined()
        let elements = String(repeating: "<x/>", count: 20_000)
        let text = Self.document(elements, doctype: "<!DOCTYPE ts:token [ \(declarations) ]>\n")
        let result = try XMLDocumentReader.read(
            bytes: Array(text.utf8), file: "defaults.xml", directory: NSTemporaryDirectory())
        #expect(result.problems.contains { $0.severity == .warning && $0.message.contains("attribute defaults") })
        #expect(result.root.children.count >= 20_000)
    }

    @Test("the attribute scan skips comments, CDATA, instructions, the DOCTYPE and quoted values")
    func scanFollowsTheGrammar() {
        let many = "p='1' q='2' r='3'"
        let text = """
            <?xml version="1.0"?><!DOCTYPE a [ <!ENTITY e "<b \(many)>"> <!-- <c \(many)> ' --> <?pi <d \(many)> ?> ]>
            <a x="a=b=c" y='>=='><!-- <e \(many)> --><![CDATA[<f \(many)>]]><?pi <g \(many)>?></a>
            """
        #expect(StartTagScan.firstCrowdedTag(in: Array(text.utf8), limit: 2) == nil)
        let crowded = StartTagScan.firstCrowdedTag(in: Array((text + "\n  <h \(many)/>").utf8), limit: 2)
        #expect(crowded == StartTagScan.CrowdedTag(name: "h", attributes: 3, line: 3, column: 3))
    }
}
