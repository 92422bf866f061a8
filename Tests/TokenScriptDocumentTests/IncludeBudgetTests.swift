import Foundation
import Testing
import TokenScriptDocument
import TokenScriptModel
import TokenScriptTesting

/// `ts:include` files share one budget with entity expansions (issue 8, class 7), and an include that
/// names a FIFO is refused at once.
@Suite("Include budget")
struct IncludeBudgetTests {
    static func document(includes: Int, references: Int = 0) -> String {
        let doctype = references > 0 ? "<!DOCTYPE ts:token [ <!ENTITY big SYSTEM \"big.html\"> ]>\n" : ""
        let text =
            references > 0
            ? "<ts:label><ts:string xml:lang=\"en\">" + String(repeating: "&big;", count: references)
                + "</ts:string></ts:label>" : ""
        let views = (0..<includes).map { _ in "        <ts:include type=\"html\" src=\"big.html\"/>" }.joined(
            separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            \(doctype)<ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" name="Budget">\(text)
              <ts:cards><ts:card type="token" name="main">
                <ts:view xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">
            \(views)
                </ts:view>
              </ts:card></ts:cards>
            </ts:token>
            """
    }

    static func directoryWithBigFile() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        // Plain text: as an entity it is one text node, so only the byte budget is at stake.
        try String(repeating: "x", count: (4 << 20) - 4096).write(
            toFile: directory.path + "/big.html", atomically: false, encoding: .utf8)
        return directory
    }

    static func budgetErrors(_ file: String) -> [Diagnostic] {
        let diagnostics: [Diagnostic]
        do {
            diagnostics = try TokenScriptReader.read(file: file).diagnostics
        } catch {
            diagnostics = error.diagnostics
        }
        return diagnostics.filter { $0.kind == .limit && $0.message.contains("substituted and included bytes") }
    }

    @Test("five 4 MB includes pass the 16 MiB budget: the fifth is refused, located at its element")
    func includesAlone() throws {
        let directory = try Self.directoryWithBigFile()
        try Self.document(includes: 5).write(toFile: directory.path + "/doc.xml", atomically: false, encoding: .utf8)
        let errors = Self.budgetErrors(directory.path + "/doc.xml")
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.message.contains("ts:include 'big.html'") == true)
        #expect(errors.first?.location?.line == 9)
        #expect((errors.first?.location?.column ?? 0) > 1)
    }

    @Test("entity expansions and includes are counted together")
    func sharedWithEntities() throws {
        let directory = try Self.directoryWithBigFile()
        try Self.document(includes: 2, references: 3).write(
            toFile: directory.path + "/doc.xml", atomically: false, encoding: .utf8)
        let errors = Self.budgetErrors(directory.path + "/doc.xml")
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.location?.line == 7)
    }

    @Test("an include naming a FIFO is refused promptly")
    func fifoInclude() async throws {
        let directory = try TemporaryDirectory()
        try FIFO.make(directory.path + "/big.html")
        try Self.document(includes: 1).write(toFile: directory.path + "/doc.xml", atomically: false, encoding: .utf8)
        let path = directory.path + "/doc.xml", pipe = directory.path + "/big.html"
        let diagnostics = await BoundedWait.run(seconds: 10, rescue: { FIFO.release(pipe) }) {
            (try? TokenScriptReader.read(file: path))?.diagnostics ?? []
        }
        let refusal = diagnostics?.first { $0.message.contains("ts:include 'big.html': is a FIFO, not a regular file") }
        #expect(refusal != nil, "\(String(describing: diagnostics))")
        #expect(refusal?.location?.line == 5)
    }
}
