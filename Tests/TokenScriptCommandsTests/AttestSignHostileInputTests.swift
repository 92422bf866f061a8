import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// `attest sign` on bad input: exit 2, nothing on stdout, and an error that names the flag or field to fix.
@Suite("attest sign: hostile inputs")
struct AttestSignHostileInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var label: String
        /// Flags replacing the good ones; `KEY` and `DIR` stand for a good key file and the scratch directory.
        var overrides: [String: String]
        /// A key file's text to write at DIR/bad.key before the run.
        var keyFile: String? = nil
        var makeFIFO = false
        var expected: String

        var description: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "payload JSON with a syntax error", overrides: ["--payload": "{\"delay\": }"],
            expected: "--payload: unexpected '}', expected a value at line 1, column 11"),
        Case(
            label: "payload JSON error on line 2", overrides: ["--payload": "{\"a\": 1,\n \"b\": tru}"],
            expected: "at line 2"),
        Case(
            label: "payload integer beyond 2^53 - 1", overrides: ["--payload": "{\"n\": 9007199254740992}"],
            expected: "--payload: payload.n"),
        Case(
            label: "payload with a fraction", overrides: ["--payload": "{\"n\": 1.5}"], expected: "--payload: payload.n"
        ),
        Case(
            label: "huge issued-at", overrides: ["--issued-at": "9007199254740992"],
            expected: "--issued-at: 9007199254740992 is out of range"),
        Case(label: "expires-at before issued-at", overrides: ["--expires-at": "5"], expected: "--expires-at: 5"),
        Case(
            label: "topic with a wildcard", overrides: ["--topic": "flight-status/*"],
            expected: "--topic: invalid value"),
        Case(label: "missing key file", overrides: ["--key": "DIR/none.key"], expected: "no such file"),
        Case(
            label: "a FIFO as key file", overrides: ["--key": "DIR/fifo.key"], makeFIFO: true,
            expected: "is a FIFO, not a regular file"),
        Case(
            label: "key file with a scheme keys new never writes", overrides: ["--key": "DIR/bad.key"],
            keyFile: #"{"scheme": "eip712", "privateKey": "0x\#(String(repeating: "11", count: 32))"}"#,
            expected: "scheme: unknown \"eip712\""),
        Case(
            label: "key file whose address is not its key's", overrides: ["--key": "DIR/bad.key"],
            keyFile: #"{"scheme": "eip191", "privateKey": "0x\#(String(repeating: "11", count: 32))", "#
                + #""address": "0x0000000000000000000000000000000000000001"}"#,
            expected: "address: does not match privateKey"),
        Case(
            label: "key file with a short private key", overrides: ["--key": "DIR/bad.key"],
            keyFile: #"{"scheme": "ed25519", "privateKey": "0x1234"}"#, expected: "privateKey: expected 0x and 32"),
        Case(
            label: "key file that is not JSON", overrides: ["--key": "DIR/bad.key"], keyFile: "scheme=ed25519",
            expected: "not a key file"),
    ]

    @Test("refused with exit 2, nothing on stdout, the field named", arguments: cases)
    func refused(_ testCase: Case) async throws {
        let directory = try TemporaryDirectory()
        let goodKey = try await AttestSignCommandTests.newKey("eip191", in: directory.path).path
        if let text = testCase.keyFile {
            try text.write(toFile: directory.path + "/bad.key", atomically: false, encoding: .utf8)
        }
        if testCase.makeFIFO { try FIFO.make(directory.path + "/fifo.key") }
        var flags: [String: String] = [
            "--key": goodKey, "--topic": "flight-status/LH2024", "--type": "delay",
            "--payload": #"{"delayMinutes": 40}"#, "--issued-at": "1790003600",
        ]
        for (flag, value) in testCase.overrides {
            flags[flag] = value.replacingOccurrences(of: "DIR", with: directory.path)
        }
        let arguments = flags.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
        let (status, console) = try await AttestSignCommandTests.sign(arguments)
        #expect(status == 2, "\(testCase.label): \(console.output)")
        #expect(console.output.isEmpty)
        #expect(console.errorOutput.contains(testCase.expected), "\(console.errorOutput)")
    }

    @Test("an issued-at beyond 64 bits is refused by the flag parser")
    func issuedAtBeyondUInt64() {
        #expect(throws: (any Error).self) {
            try AttestSign.Options.parse([
                "--key", "k", "--topic", "t", "--type", "x", "--payload", "1", "--issued-at", "99999999999999999999",
            ])
        }
    }
}
