import Foundation
import Testing
import TokenScriptTesting

/// Every command of README.md, run as a user pastes it: in order, by `/bin/sh`, in a copy of the working files
/// (so the checkout is never written), with `tokenscript` on `PATH` as the README's alias makes it, `../shared`
/// beside the copy, the project's `.venv` for the local chain and a scratch `HOME`.
@Suite("README commands")
struct ReadmeCommandsTests {
    /// A command that runs longer is stopped and reported (the local chain's first start compiles contracts).
    static let commandTimeout: Double = 300

    @Test("every command in README.md runs as written and exits with its documented status", .needsShared)
    func everyCommandRuns() async throws {
        let readme = try String(contentsOfFile: TestPaths.packageRoot + "/README.md", encoding: .utf8)
        let commands = try ReadmeCommands.extract(from: readme)
        #expect(commands.count > 20, "README.md should show its commands in ```sh blocks")
        let sandbox = try await ReadmeSandbox()
        defer { sandbox.stopLocalChain() }
        for command in commands {
            if let reason = command.notRunReason {
                print("README.md:\(command.line): not run (\(reason)): \(command.text)")
                continue
            }
            #expect(
                !command.code.contains("…"), "README.md:\(command.line): elided value in `\(command.text)`")
            let outcome = try await sandbox.run(command.text, timeout: Self.commandTimeout)
            let status =
                outcome.timedOut ? "was stopped after \(Int(Self.commandTimeout)) s" : "exited \(outcome.status)"
            #expect(
                !outcome.timedOut && outcome.status == command.expectedStatus,
                """
                README.md:\(command.line): `\(command.text)` \(status), README says \(command.expectedStatus)
                stderr (end):
                \(outcome.standardError.lastLines(20))
                stdout (end):
                \(outcome.standardOutput.lastLines(10))
                """)
        }
    }

    @Test("continuations, here-documents, comments and markers are read as the shell and the convention say")
    func extraction() throws {
        let markdown = """
            Text with `tokenscript inline` is not a command.
            ```sh
            # a comment line
            tokenscript validate TokenScripts   # lenient # still the comment

            tokenscript eval FILE --token-id 1 \\
                --owner 0xabc --json
            tokenscript replay bad.jsonl --script x.xml   # diverges [exits 1]
            scripts/test    # the suite [not run: it runs this test]
            echo '# not a comment' "[exits 3]" '<<NOT' "a <<here"   # prints …
            cat > a.lua <<'LUA'
            return 1
            LUA
            ```
            ```text
            tokenscript validate [--strict] FILE...
            ```
            """
        let commands = try ReadmeCommands.extract(from: markdown)
        #expect(commands.map(\.line) == [4, 6, 8, 9, 10, 11])
        #expect(commands[0].text == "tokenscript validate TokenScripts   # lenient # still the comment")
        #expect(commands[1].text == "tokenscript eval FILE --token-id 1     --owner 0xabc --json")
        #expect(commands[2].expectedStatus == 1 && commands[2].notRunReason == nil)
        #expect(commands[3].notRunReason == "it runs this test")
        #expect(commands[4].expectedStatus == 0, "a marker inside quotes is part of the command")
        #expect(commands[4].code == #"echo '# not a comment' "[exits 3]" '<<NOT' "a <<here"   "#)
        #expect(commands[5].text == "cat > a.lua <<'LUA'\nreturn 1\nLUA")
        #expect(commands[5].code == commands[5].text)
    }

    @Test(
        "a marker without its value, an open block or a dangling continuation is an error naming the line",
        arguments: [
            ("```sh\nscripts/test  # [not run]\n```", 2),
            ("```sh\nscripts/test  # [exits one]\n```", 2),
            ("\n```sh\ntokenscript validate\n", 2),
            ("```sh\ntokenscript validate \\\n```", 2),
            ("```sh\ncat <<EOF\nx\n```", 2),
        ])
    func malformedBlocks(markdown: String, line: Int) throws {
        let error = try #require(throws: ReadmeCommandError.self) { try ReadmeCommands.extract(from: markdown) }
        #expect(error.line == line)
    }
}

extension String {
    fileprivate func lastLines(_ count: Int) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }
}
