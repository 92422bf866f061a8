import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptModel
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript attest sign`: one wire line that the verifier accepts, and that `dry-run` takes through the
/// flight ticket's triggers once the ticket trusts the new key.
@Suite("attest sign")
struct AttestSignCommandTests {
    /// A new key of `scheme` in `directory`, made by `keys new` as a user would.
    static func newKey(_ scheme: String, in directory: String) async throws -> (path: String, file: KeyFile) {
        let path = directory + "/\(scheme).key"
        let console = Console.capture()
        #expect(await Keys.run(try Keys.Options.parse(["--scheme", scheme, "--out", path]), console: console) == 0)
        return (path, try KeyFile.read(path))
    }

    /// Runs `attest sign` with `arguments`; the status and the console.
    static func sign(_ arguments: [String]) async throws -> (Int32, Console) {
        let console = Console.capture()
        return (await AttestSign.run(try AttestSign.Options.parse(arguments), console: console), console)
    }

    @Test(
        "the line is one wire attestation the verifier accepts from the key's issuer",
        arguments: [
            "ed25519", "eip191",
        ])
    func verifies(scheme: String) async throws {
        let directory = try TemporaryDirectory()
        let key = try await Self.newKey(scheme, in: directory.path)
        let (status, console) = try await Self.sign([
            "--key", key.path, "--topic", "flight-status/LH2024", "--type", "delay",
            "--payload", #"{"flight": "LH2024", "delayMinutes": 40}"#, "--issued-at", "1790003600",
            "--expires-at", "1790090000",
        ])
        #expect(status == 0, "\(console.errorOutput)")
        let lines = console.output.split(separator: "\n")
        #expect(lines.count == 1)
        let attestation = try Attestation(json: String(try #require(lines.first)))
        #expect(attestation.issuer.key == key.file.issuerKey)
        #expect(attestation.issuedAt == 1_790_003_600 && attestation.expiresAt == 1_790_090_000)
        #expect(attestation.payload["delayMinutes"] == .integer(40))
        let expectedID = AttestSign.defaultID(
            topic: "flight-status/LH2024", type: "delay", issuedAt: 1_790_003_600, payload: attestation.payload)
        #expect(attestation.id == expectedID && attestation.id.hasPrefix("att-") && attestation.id.count == 20)
        let pattern = try #require(TopicPattern(wellFormed: "flight-status/*"))
        let trust = TrustConfiguration(grants: [.init(issuer: attestation.issuer, topics: [pattern])])
        let verdict = AttestationVerifier.verify(
            attestation, trust: trust, now: 1_790_003_600, seen: SeenAttestations())
        #expect(throws: Never.self) { try verdict.get() }
    }

    @Test(
        "keys new + attest sign + dry-run: the ticket trusting the new key fires scheduled, then lounge-access",
        arguments: ["eip191", "ed25519"])
    func endToEnd(scheme: String) async throws {
        let directory = try TemporaryDirectory()
        let key = try await Self.newKey(scheme, in: directory.path)
        let original = try String(contentsOfFile: TestPaths.tokenScripts + "/flight-ticket.xml", encoding: .utf8)
        let airline = #"scheme="eip191" key="0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A""#
        #expect(original.contains(airline))
        let script = directory.path + "/flight-ticket.xml"
        try original.replacingOccurrences(of: airline, with: "scheme=\"\(scheme)\" key=\"\(key.file.issuerKey)\"")
            .write(toFile: script, atomically: false, encoding: .utf8)
        var lines: [String] = []
        for (type, issuedAt, payload) in [
            ("scheduled", "1790000000", #"{"flight": "LH2024", "departure": 1790050000, "gate": "A12"}"#),
            ("delay", "1790003600", #"{"flight": "LH2024", "departure": 1790050000, "delayMinutes": 200}"#),
        ] {
            let (status, console) = try await Self.sign([
                "--key", key.path, "--topic", "flight-status/LH2024", "--type", type, "--payload", payload,
                "--issued-at", issuedAt,
            ])
            #expect(status == 0, "\(console.errorOutput)")
            lines.append(console.output)
        }
        let attestations = directory.path + "/statuses.jsonl"
        try lines.joined().write(toFile: attestations, atomically: false, encoding: .utf8)
        let console = Console.capture()
        let options = try DryRun.Options.parse([
            script, "--initial", TestPaths.tokenScripts + "/flight-ticket.tests/new-ticket.json",
            "--attestations", attestations, "--json",
        ])
        #expect(await DryRun.run(options, console: console) == 0, "\(console.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        let steps = try #require(report["steps"] as? [[String: Any]], "\(console.output)")
        #expect(steps.map { $0["trigger"] as? String } == ["scheduled", "lounge-access"], "\(console.output)")
        #expect((report["final"] as? [String: Any])?["state"] as? String == "lounge", "\(console.output)")
    }
}
