import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript grant sign` and `grant verify`: a holder's key signs a grant that `verify` accepts for the
/// granted read and refuses, with the 403's reason, for anything else; exit statuses 0, 1 and 2.
@Suite("grant sign and grant verify")
struct GrantCommandTests {
    static let holderArguments = holderArguments(expiresAt: "1790086400")

    static func holderArguments(expiresAt: String) -> [String] {
        [
            "--instance", "ticket-LH2024-12A", "--interface", "flightStatus", "--grantee", "car-rental.example",
            "--issued-at", "1790000000", "--expires-at", expiresAt,
        ]
    }

    static func sign(_ arguments: [String]) async throws -> (Int32, Console) {
        let console = Console.capture()
        return (await GrantSign.run(try GrantSign.Options.parse(arguments), console: console), console)
    }

    static func verify(_ arguments: [String]) async throws -> (Int32, Console) {
        let console = Console.capture()
        return (await GrantVerify.run(try GrantVerify.Options.parse(arguments), console: console), console)
    }

    /// A signed grant file in `directory` from a new key of `scheme`; its path and the holder's key text.
    static func grantFile(
        _ scheme: String, typedData: Bool = false, in directory: TemporaryDirectory
    ) async throws -> (path: String, holder: String) {
        let key = try await AttestSignCommandTests.newKey(scheme, in: directory.path)
        let (status, console) = try await sign(
            ["--key", key.path] + holderArguments + (typedData ? ["--typed-data"] : []))
        #expect(status == 0, "\(console.errorOutput)")
        let path = directory.path + "/grant-\(scheme)\(typedData ? "-712" : "").json"
        try console.output.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, key.file.issuerKey)
    }

    @Test(
        "a signed grant verifies for the granted read (exit 0)",
        arguments: [("ed25519", false), ("eip191", false), ("eip191", true)])
    func roundTrip(scheme: String, typedData: Bool) async throws {
        let directory = try TemporaryDirectory()
        let grant = try await Self.grantFile(scheme, typedData: typedData, in: directory)
        let text = try String(contentsOfFile: grant.path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 1)
        let parsed = try ReadGrant(json: text)
        #expect(parsed.holder.scheme.rawValue == (typedData ? "eip712" : scheme))
        let (status, console) = try await Self.verify([
            grant.path, "--holder", grant.holder, "--interface", "flightStatus", "--now", "1790000100",
        ])
        #expect(status == 0, "\(console.output)\(console.errorOutput)")
        #expect(console.output.hasPrefix("granted: car-rental.example may read flightStatus of ticket-LH2024-12A"))
    }

    @Test(
        "refusals exit 1 with the reason, in text and in --json",
        arguments: [
            (["--interface", "bookingDetails", "--now", "1790000100"], "interface-not-granted", "interfaces"),
            (["--interface", "flightStatus", "--now", "1790086400"], "expired", "expiresAt"),
            (["--interface", "flightStatus", "--now", "1789990000"], "not-yet-valid", "issuedAt"),
            (
                ["--interface", "flightStatus", "--now", "1790000100", "--instance", "other"], "wrong-instance",
                "instance"
            ),
            (["--interface", "flightStatus", "--now", "1790000100", "--grantee", "hotel"], "wrong-grantee", "grantee"),
        ] as [([String], String, String)])
    func refused(arguments: [String], code: String, field: String) async throws {
        let directory = try TemporaryDirectory()
        let grant = try await Self.grantFile("eip191", in: directory)
        let (status, console) = try await Self.verify([grant.path, "--holder", grant.holder] + arguments)
        #expect(status == 1)
        #expect(console.output.hasPrefix("refused (\(code)): read grant: \(field)"), "\(console.output)")
        let (jsonStatus, json) = try await Self.verify([grant.path, "--holder", grant.holder, "--json"] + arguments)
        #expect(jsonStatus == 1)
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "failed")
        let refusal = try #require(object["refusal"] as? [String: Any])
        #expect(refusal["code"] as? String == code && refusal["field"] as? String == field)
    }

    @Test("a grant signed by someone who no longer holds the instance is refused as wrong-holder")
    func wrongHolder() async throws {
        let directory = try TemporaryDirectory()
        let grant = try await Self.grantFile("ed25519", in: directory)
        let newHolder = TestKeys.ethereum(0x44).address.checksummed
        let (status, console) = try await Self.verify([
            grant.path, "--holder", newHolder, "--interface", "flightStatus", "--now", "1790000100",
        ])
        #expect(status == 1)
        #expect(console.output.contains("wrong-holder") && console.output.contains(newHolder))
    }

    @Test("a malformed or tampered grant is refused (exit 1), an unreadable one or a bad --holder is exit 2")
    func inputs() async throws {
        let directory = try TemporaryDirectory()
        let grant = try await Self.grantFile("ed25519", in: directory)
        let text = try String(contentsOfFile: grant.path, encoding: .utf8)
        let tampered = directory.path + "/tampered.json"
        try text.replacingOccurrences(of: "flightStatus", with: "*").write(
            toFile: tampered, atomically: true, encoding: .utf8)
        let malformed = directory.path + "/malformed.json"
        try text.replacingOccurrences(of: "\"issuedAt\":1790000000", with: "\"issuedAt\":1e99").write(
            toFile: malformed, atomically: true, encoding: .utf8)
        let base = ["--holder", grant.holder, "--interface", "flightStatus", "--now", "1790000100"]

        let (tamperedStatus, tamperedOut) = try await Self.verify([tampered] + base)
        #expect(tamperedStatus == 1 && tamperedOut.output.contains("bad-signature"), "\(tamperedOut.output)")
        let (malformedStatus, malformedOut) = try await Self.verify([malformed] + base)
        #expect(malformedStatus == 1 && malformedOut.output.contains("issuedAt"), "\(malformedOut.output)")
        let (missingStatus, missingOut) = try await Self.verify([directory.path + "/absent.json"] + base)
        #expect(missingStatus == 2 && missingOut.output.isEmpty)
        #expect(missingOut.errorOutput == "error: \(directory.path)/absent.json: cannot open: no such file\n")
        var badHolder = base
        badHolder[1] = "0x1234"
        let (holderStatus, holderOut) = try await Self.verify([grant.path] + badHolder + ["--json"])
        #expect(holderStatus == 2)
        #expect(holderOut.output.contains("error") && holderOut.output.contains("--holder"), "\(holderOut.output)")
    }

    @Test(
        "grant sign refuses unusable input with exit 2 and nothing on stdout, naming the flag",
        arguments: [
            ("1790000000", [], "--expires-at"),
            ("9007199254740992", [], "--expires-at"),
            ("1790086400", ["--interface", "a*"], "--interface"),
            ("1790086400", ["--interface", "flightStatus"], "--interface"),
            ("1790086400", ["--typed-data"], "--typed-data"),
        ] as [(String, [String], String)])
    func signRefuses(expiresAt: String, extra: [String], flag: String) async throws {
        let directory = try TemporaryDirectory()
        let key = try await AttestSignCommandTests.newKey("ed25519", in: directory.path)
        let arguments = ["--key", key.path] + Self.holderArguments(expiresAt: expiresAt) + extra
        let (status, console) = try await Self.sign(arguments)
        #expect(status == 2)
        #expect(console.output.isEmpty)
        #expect(console.errorOutput.contains(flag), "\(console.errorOutput)")
    }

    @Test("the CLI routes grant sign and grant verify, with the one exit-status rule and --json status word")
    func throughTheCLI() async throws {
        let directory = try TemporaryDirectory()
        let key = try await AttestSignCommandTests.newKey("ed25519", in: directory.path)
        let signed = try await ExitStatusTableTests.run(["grant", "sign", "--key", key.path] + Self.holderArguments)
        #expect(signed.status == 0)
        let path = directory.path + "/grant.json"
        try signed.console.output.write(toFile: path, atomically: true, encoding: .utf8)
        let base = ["grant", "verify", path, "--holder", key.file.issuerKey, "--now", "1790000100", "--json"]
        for (interface, status, word) in [("flightStatus", 0, "ok"), ("seatMap", 1, "failed")] {
            let (code, console) = try await ExitStatusTableTests.run(base + ["--interface", interface])
            #expect(code == Int32(status))
            let object = try #require(
                JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
            #expect(object["status"] as? String == word, "\(console.output)")
        }
    }

    @Test("grant sign without --interface is exit 2")
    func noInterface() async throws {
        let directory = try TemporaryDirectory()
        let key = try await AttestSignCommandTests.newKey("ed25519", in: directory.path)
        let (status, console) = try await Self.sign([
            "--key", key.path, "--instance", "i", "--grantee", "g", "--expires-at", "1790086400",
        ])
        #expect(status == 2 && console.errorOutput.contains("--interface"))
    }
}
