import Foundation
import Testing
import TokenScriptTesting

/// `tokenscript --version` and the completion scripts, from the built executable as a user runs it.
@Suite("tokenscript --version and shell completion")
struct VersionAndCompletionTests {
    static let tokenscript = TestPaths.executable("tokenscript")

    @Test("--version names the release and the commit the executable was built from")
    func version() async throws {
        let outcome = try await Subprocess.run(Self.tokenscript, ["--version"])
        #expect(outcome.status == 0)
        let printed = outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let git = try await Subprocess.run(
            "/usr/bin/env", ["git", "-C", TestPaths.packageRoot, "rev-parse", "--short=12", "HEAD"])
        if git.status == 0 {
            let head = git.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(
                printed == "0.1.0 (commit \(head))" || printed == "0.1.0 (commit \(head)-dirty)",
                "built from another commit than HEAD \(head)? rebuild; printed \(printed)")
        } else {
            #expect(printed == "0.1.0 (commit unknown)", "outside a git checkout; printed \(printed)")
        }
    }

    @Test("--generate-completion-script prints a script naming every command", arguments: ["bash", "zsh", "fish"])
    func completion(shell: String) async throws {
        let outcome = try await Subprocess.run(Self.tokenscript, ["--generate-completion-script", shell])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        for command in [
            "validate", "inspect", "eval", "sandbox", "test", "dry-run", "replay", "keys", "attest", "grant", "node",
            "anchor",
            "devnet",
        ] {
            #expect(outcome.standardOutput.contains(command), "\(shell) completion lacks \(command)")
        }
    }

    @Test("the bash completion script is valid bash")
    func bashCompletionParses() async throws {
        let directory = try TemporaryDirectory()
        let script = directory.path + "/tokenscript.bash"
        let outcome = try await Subprocess.run(Self.tokenscript, ["--generate-completion-script", "bash"])
        try outcome.standardOutput.write(toFile: script, atomically: true, encoding: .utf8)
        let check = try await Subprocess.run("/bin/bash", ["-n", script])
        #expect(check.status == 0, "\(check.standardError)")
    }
}
