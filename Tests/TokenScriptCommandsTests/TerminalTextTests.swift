import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptTesting
@testable import TokenScriptCommands

/// Untrusted text (attestation ids, topics, Lua output, document labels) never reaches a terminal raw.
@Suite("terminal text")
struct TerminalTextTests {
    @Test(
        "control characters are escaped, ordinary text is kept",
        arguments: [
            ("set title", "\u{1B}]0;pwned\u{07}", "\\u{1B}]0;pwned\\u{07}"),
            ("clear screen", "a\u{1B}[2Jb", "a\\u{1B}[2Jb"),
            ("one-byte CSI", "x\u{9B}31m", "x\\u{9B}31m"),
            ("DEL and NUL", "\u{7F}\u{0}", "\\u{7F}\\u{00}"),
            ("carriage return", "ok\rFAIL", "ok\\rFAIL"),
            ("bidi override", "abc\u{202E}fed", "abc\\u{202E}fed"),
            ("plain, accented and emoji", "Zürich e\u{301} ✈️", "Zürich e\u{301} ✈️"),
            ("newline kept in lines", "one\ntwo\tthree", "one\ntwo\tthree"),
        ])
    func escapes(label: String, input: String, expected: String) {
        #expect(TerminalText.escapingControls(input) == expected, "\(label)")
    }

    @Test("a one-line value cannot forge extra lines")
    func singleLine() {
        #expect(TerminalText.singleLine("id\nPASS all\t") == "id\\nPASS all\\t")
    }

    @Test("every line a console writes is escaped")
    func console() {
        let console = Console.capture()
        console.out("title \u{1B}]2;x\u{07}")
        console.err("bell \u{07}")
        #expect(console.output == "title \\u{1B}]2;x\\u{07}\n")
        #expect(console.errorOutput == "bell \\u{07}\n")
    }

    @Test("dry-run shows a forged attestation's id, topic and type escaped")
    func forgedAttestation() async throws {
        let directory = try TemporaryDirectory()
        let script = try DryRunCommandTests.script(in: directory.path, hotelAPI: "http://127.0.0.1:9/api")
        let hostile = Attestation(
            id: "x\u{1B}]0;owned\u{07}", topic: "flight-status/LH2024\u{1B}[2J", type: "delay\r\nPASS",
            issuer: .ed25519(publicKey: Array(repeating: 0, count: 32)), issuedAt: 1_790_000_000,
            payload: ["flight": "LH2024"])
        let line = try DryRunCommandTests.stranger.sign(hostile, scheme: .eip191).json
        let attestations = directory.path + "/forged.jsonl"
        try (line + "\n").write(toFile: attestations, atomically: true, encoding: .utf8)

        let console = Console.capture()
        _ = await DryRun.run(try DryRun.Options.parse([script, "--attestations", attestations]), console: console)
        let shown = console.output + console.errorOutput
        #expect(!shown.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0 == "\r" })
        #expect(shown.contains("x\\u{1B}]0;owned\\u{07}"), "\(shown)")
        #expect(shown.contains("delay\\r\\nPASS"), "\(shown)")
    }
}
