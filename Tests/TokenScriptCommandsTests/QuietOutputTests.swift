import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// `--quiet` prints only problems, and nothing else; the exit status is the one without it.
@Suite("--quiet")
struct QuietOutputTests {
    @Test("validate --quiet prints nothing for valid files, and only an invalid file's errors otherwise")
    func validateQuiet() throws {
        let valid = Console.capture()
        #expect(Validate.run(try .parse([TestPaths.tokenScripts, "--quiet"]), console: valid) == 0)
        #expect(valid.output.isEmpty, "\(valid.output)")

        let directory = try TemporaryDirectory()
        let broken = directory.path + "/broken.xml"
        try "<ts:token xmlns:ts=\"http://tokenscript.org/2020/06/tokenscript\">\n<ts:label>\n</ts:token>\n"
            .write(toFile: broken, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(
            atPath: TestPaths.tokenScripts + "/membership-2024.xml", toPath: directory.path + "/membership-2024.xml")
        let invalid = Console.capture()
        #expect(Validate.run(try .parse([directory.path, "--quiet"]), console: invalid) == 1)
        let lines = invalid.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("INVALID \(broken)") == true, "\(invalid.output)")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  \(broken):") && $0.contains(": error: ") })
        #expect(!invalid.output.contains("membership-2024"), "a valid file is not a problem")
        #expect(!invalid.output.contains("valid,"), "no summary line")
    }

    @Test("test --quiet prints nothing when every scenario passes, and only the failing one otherwise")
    func scenarioTestQuiet() async throws {
        let passing = Console.capture()
        let tests = TestPaths.tokenScripts + "/flight-ticket.tests"
        #expect(await ScenarioTest.run(try .parse([tests, "--quiet"]), console: passing) == 0)
        #expect(passing.output.isEmpty, "\(passing.output)")

        let directory = try TemporaryDirectory()
        let copy = try ScenarioTestCommandTests.copy(directory)
        let golden = copy + "/lounge.golden.json"
        try String(contentsOfFile: golden, encoding: .utf8)
            .replacingOccurrences(of: "\"minutes\": 200", with: "\"minutes\": 190")
            .write(toFile: golden, atomically: true, encoding: .utf8)
        let failing = Console.capture()
        #expect(await ScenarioTest.run(try .parse([copy, "--quiet"]), console: failing) == 1)
        #expect(failing.output.hasPrefix("FAIL lounge\n"), "\(failing.output)")
        #expect(!failing.output.contains("PASS"), "\(failing.output)")
        #expect(!failing.output.contains("passed,"), "no summary line")
    }
}
