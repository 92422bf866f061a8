import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptXML

/// A refused or missing external entity is replaced by an empty input. libxml2 2.9 reads that input's
/// buffer after the loader returns, so the buffer must outlive the call: it once was a Swift temporary, and
/// documents with missing entities (real corpus files reference `shared.css` and scripts that are not
/// published) failed at random with "detected an error in element content", more often under load.
@Suite("Missing external entities")
struct MissingEntityInputTests {
    /// A document referencing `count` entities whose files do not exist, each between two text runs.
    static func document(entities count: Int) -> String {
        let declarations = (0..<count).map { "  <!ENTITY part\($0) SYSTEM \"absent-\($0).js\">" }
        let references = (0..<count).map { "<p>before \($0) &part\($0); after \($0)</p>" }
        return "<?xml version=\"1.0\"?>\n<!DOCTYPE doc [\n" + declarations.joined(separator: "\n")
            + "\n]>\n<doc>" + references.joined() + "</doc>\n"
    }

    @Test("many parses on many threads each read every missing entity as empty, with one warning per entity")
    func concurrentParses() async throws {
        let directory = try TemporaryDirectory()
        let count = 60
        let path = directory.path + "/doc.xml"
        try Self.document(entities: count).write(toFile: path, atomically: true, encoding: .utf8)

        let outcomes = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var seen: [String] = []
                    for _ in 0..<25 {
                        do throws(XMLReadFailure) {
                            let result = try XMLDocumentReader.read(file: path)
                            let errors = result.problems.filter { $0.severity == .error }.map(\.message)
                            let warnings = result.problems.filter { $0.severity == .warning }.count
                            let texts = result.root.children.compactMap { child -> String? in
                                if case .element(let element) = child { element.text } else { nil }
                            }
                            seen.append(
                                "errors \(errors) warnings \(warnings) texts \(texts.count) \(texts.last ?? "")")
                        } catch {
                            seen.append("failed: \(error.problems.map(\.message))")
                        }
                    }
                    return seen
                }
            }
            var all: [String] = []
            for await outcome in group { all += outcome }
            return all
        }
        #expect(outcomes.count == 200)
        let expected = "errors [] warnings \(count) texts \(count) before \(count - 1)  after \(count - 1)"
        #expect(outcomes.allSatisfy { $0 == expected }, "\(Set(outcomes).filter { $0 != expected }.prefix(3))")
    }
}
