import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript validate` and our server-side extension: its XSD is applied to `sl:server` always.
@Suite("validate: server extension")
struct ServerValidateTests {
    /// `tokenscript validate ARGUMENTS… --json`, run in-process: its status and decoded report.
    static func report(_ arguments: [String]) throws -> (Int32, Validate.Report) {
        let options = try Validate.Options.parse(arguments + ["--json"])
        let console = Console.capture()
        let status = Validate.run(options, console: console)
        return (status, try JSONDecoder().decode(Validate.Report.self, from: Data(console.output.utf8)))
    }

    @Test("XSD violations in the extension are errors with their lines, without --xsd")
    func schemaErrors() throws {
        let (status, report) = try Self.report([TestPaths.fixtures + "/server/xsd-violations.xml"])
        #expect(status == 1)
        let file = try #require(report.files.first)
        #expect(!file.valid)
        let schema = file.errors.filter { $0.kind == "schema" }
        #expect(schema.compactMap(\.line) == [7, 10, 13], "\(file.errors)")
        #expect(schema.allSatisfy { $0.message.contains("tokenscript-server-1.xsd") })
        #expect(schema[0].message.contains("'sleeping'"))
        #expect(schema[1].message.contains("'float'"))
        #expect(schema[2].message.contains("sl:wait"))
    }

    @Test("human output names file and line")
    func humanOutput() throws {
        let console = Console.capture()
        #expect(
            Validate.run(
                try Validate.Options.parse([TestPaths.fixtures + "/server/xsd-violations.xml"]), console: console)
                == 1)
        #expect(
            console.output.contains(
                "xsd-violations.xml:7: error: server extension "
                    + "(tokenscript-server-1.xsd): Element 'sl:state', attribute 'lifecycle'"
            ))
    }

    @Test("valid extensions pass, strictly: the minimal one and the flight ticket")
    func valid() throws {
        let (status, report) = try Self.report([
            TestPaths.fixtures + "/server/minimal.xml", TestPaths.tokenScripts + "/flight-ticket.xml", "--strict",
        ])
        #expect(status == 0)
        #expect(report.files.allSatisfy { $0.valid && $0.errors.isEmpty && $0.warnings.isEmpty }, "\(report.files)")
    }

    /// The public XSDs have no wildcard in `ts:token`: `--xsd` applies them to the document without our
    /// extension (which other runtimes ignore), and our own XSD to the extension.
    @Test("with the public 2024/01 XSD the flight ticket is valid; errors elsewhere are still found", .needsShared)
    func publicSchema() throws {
        let xsd = ["--xsd", TestPaths.xsd + "/2024-01"]
        let (status, report) = try Self.report([TestPaths.tokenScripts + "/flight-ticket.xml"] + xsd)
        #expect(status == 0, "\(report.files)")
        #expect(report.files.first?.errors.isEmpty == true)
        #expect(report.files.first?.schema?.hasSuffix("2024-01/tokenscript.xsd") == true)

        // A public-schema violation outside the extension is still reported, with its line.
        let text = try String(contentsOfFile: TestPaths.tokenScripts + "/flight-ticket.xml", encoding: .utf8)
        let start = try #require(text.range(of: "<sl:server>"))
        let broken = String(text[..<start.lowerBound]) + "<ts:frobnicate/>\n    " + String(text[start.lowerBound...])
        let directory = try TemporaryDirectory()
        let path = directory.path + "/flight-ticket-broken.xml"
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        let (brokenStatus, brokenReport) = try Self.report([path] + xsd)
        #expect(brokenStatus == 1)
        let errors = try #require(brokenReport.files.first).errors.filter { $0.kind == "schema" }
        #expect(errors.contains { $0.message.contains("frobnicate") && ($0.line ?? 0) > 0 }, "\(errors)")
        #expect(!errors.contains { $0.message.contains("swift-tokenscript.org/server/1}server") })
    }
}
