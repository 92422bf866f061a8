import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript validate`, called in-process and, where the exit status and memory matter, as a child process.
@Suite("validate")
struct ValidateCommandTests {
    static func decode(_ console: Console) throws -> Validate.Report {
        try JSONDecoder().decode(Validate.Report.self, from: Data(console.output.utf8))
    }

    @Test("the bundled TokenScripts are valid, strictly, and the JSON says so")
    func ownTokenScripts() throws {
        let options = try Validate.Options.parse([TestPaths.tokenScripts, "--strict", "--json"])
        let console = Console.capture()
        #expect(Validate.run(options, console: console) == 0)
        let report = try Self.decode(console)
        #expect(report.summary.files == 8)
        #expect(report.summary.valid == 8)
        #expect(report.files.allSatisfy { $0.namespace?.hasPrefix("http://tokenscript.org/") == true })
    }

    @Test(
        """
        the public corpus: every file is reported with its namespace; exit status 1 because three sources \
        reach outside their directory
        """,
        .needsShared)
    func corpus() throws {
        let options = try Validate.Options.parse([TestPaths.corpus, "--json"])
        let console = Console.capture()
        #expect(Validate.run(options, console: console) == 1)
        let report = try Self.decode(console)
        #expect(report.summary.files == TestPaths.corpusFiles().count)
        #expect(
            report.files.allSatisfy { $0.namespace != nil && $0.version != nil },
            "\(report.files.filter { $0.namespace == nil }.map { "\($0.file): \($0.errors)" })")
        #expect(report.summary.invalid == 3)
        #expect(report.files.filter { !$0.valid }.allSatisfy { $0.errors.allSatisfy { $0.kind == "forbiddenAccess" } })
    }

    @Test(
        "--xsd (given as a relative path) reports schema errors with file and line, and names the schema used",
        .needsShared)
    func withSchemas() throws {
        // Up from the working directory to the root, then down: a relative path that works from anywhere.
        let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let options = try Validate.Options.parse([
            TestPaths.corpus + "/AlphaWallet__alpha-wallet-ios__AlphaWallet__Resources__TokenScriptFiles__ETH.tsml",
            "--xsd", String(repeating: "../", count: depth) + TestPaths.xsd.dropFirst(),
        ])
        let console = Console.capture()
        #expect(Validate.run(options, console: console) == 1)
        #expect(
            console.output.contains(
                "ETH.tsml:1: error: Element '{http://tokenscript.org/2020/06/tokenscript}token': "
                    + "The attribute 'name' is required but missing."
            ))
        #expect(console.errorOutput.contains("2020-06/tokenscript.xsd: failed to compile"))
    }

    @Test("human output: one line per file with its version, diagnostics as file:line:column, a summary line")
    func humanOutput() throws {
        let console = Console.capture()
        let status = Validate.run(
            try Validate.Options.parse([
                TestPaths.fixtures + "/hostile-xml/mismatched-tag.xml", TestPaths.tokenScripts + "/membership-2024.xml",
            ]),
            console: console)
        #expect(status == 1)
        let lines = console.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("INVALID ") && $0.hasSuffix("mismatched-tag.xml (1 error)") })
        #expect(lines.contains { $0.contains("mismatched-tag.xml:5:56: error: Opening and ending tag mismatch") })
        #expect(lines.contains { $0.hasPrefix("ok      ") && $0.contains("membership-2024.xml [2024/01]") })
        #expect(lines.last == "2 files: 1 valid, 1 invalid, 1 error, 0 warnings")
    }

    @Test("a missing path and an empty directory are bad usage: exit 2, nothing checked")
    func missingPaths() throws {
        let console = Console.capture()
        let options = try Validate.Options.parse([TestPaths.tokenScripts, "/nonexistent/file.xml"])
        #expect(Validate.run(options, console: console) == 2)
        #expect(console.output.isEmpty)
        #expect(console.errorOutput == "error: /nonexistent/file.xml: no such file or directory\n")
        let empty = try TemporaryDirectory()
        let second = Console.capture()
        #expect(Validate.run(try Validate.Options.parse([empty.path]), console: second) == 2)
        #expect(second.errorOutput.contains("no .xml or .tsml files"))
    }

    @Test("--strict turns unknown elements into errors")
    func strict() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/unknown.xml"
        try """
        <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" name="x">
          <ts:frobnicate/>
        </ts:token>
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let lenient = Console.capture()
        #expect(Validate.run(try Validate.Options.parse([path]), console: lenient) == 0)
        #expect(lenient.output.contains("unknown.xml:2:3: warning: unknown element <ts:frobnicate> in <ts:token>"))
        let options = try Validate.Options.parse([path, "--strict"])
        let strict = Console.capture()
        #expect(Validate.run(options, console: strict) == 1)
        #expect(strict.output.contains("unknown.xml:2:3: error: unknown element <ts:frobnicate> in <ts:token>"))
    }

    @Test("the real executable: exit status, JSON on stdout, and bounded memory on entity bombs and a 100 MB file")
    func executable() async throws {
        let binary = TestPaths.executable("tokenscript")
        try #require(
            FileManager.default.isExecutableFile(atPath: binary), "build the package first (swift build): \(binary)")
        let valid = try await Subprocess.run(binary, ["validate", "--json", TestPaths.tokenScripts])
        #expect(valid.status == 0)
        #expect(valid.standardOutput.contains("\"valid\": 8"))

        let directory = try TemporaryDirectory()
        let huge = directory.path + "/huge.xml"
        _ = FileManager.default.createFile(atPath: huge, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: huge))
        try handle.write(
            contentsOf: Data("<ts:token xmlns:ts=\"http://tokenscript.org/2024/01/tokenscript\"><ts:style>".utf8))
        let chunk = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<100 { try handle.write(contentsOf: chunk) }
        try handle.write(contentsOf: Data("</ts:style></ts:token>".utf8))
        try handle.close()

        for file in [
            TestPaths.fixtures + "/hostile-xml/billion-laughs.xml",
            TestPaths.fixtures + "/hostile-xml/quadratic-blowup.xml", huge,
        ] {
            let outcome = try await Subprocess.run(binary, ["validate", file])
            #expect(outcome.status == 1, "\(file): \(outcome.standardOutput)")
            #expect(outcome.maximumResidentKiB < 100 * 1024, "\(file) used \(outcome.maximumResidentKiB) KiB")
        }
    }
}
