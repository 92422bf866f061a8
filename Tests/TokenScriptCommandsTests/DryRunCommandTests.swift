import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptEgress
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript dry-run`: triggers, the path of states, the requests that would be sent and the cost, with no
/// connection ever opened to the effect's host.
@Suite("dry-run")
struct DryRunCommandTests {
    static let airline = TestKeys.airline
    static let stranger = TestKeys.ethereumStranger

    /// The flight ticket with the airline's key replaced by the test key and `hotelApi` pointing at `base`.
    static func script(in directory: String, hotelAPI base: String) throws -> String {
        var text = try String(contentsOfFile: TestPaths.tokenScripts + "/flight-ticket.xml", encoding: .utf8)
        let address = try airline.sign(status(id: "probe", type: "probe"), scheme: .eip191).issuer.key
        text = text.replacingOccurrences(of: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", with: address)
        text = text.replacingOccurrences(of: "https://hotels.example.org/api/v2", with: base)
        // A ticket for LH2024: its triggers listen to flight-status/${flight}.
        text = text.replacingOccurrences(
            of: #"<sl:attribute name="flight" type="string"/>"#,
            with: #"<sl:attribute name="flight" type="string" initial="LH2024"/>"#)
        let path = directory + "/flight-ticket.xml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func status(id: String, type: String, delay: Int64 = 0, at time: UInt64 = 1_790_000_000) -> Attestation {
        Attestation(
            id: id, topic: "flight-status/LH2024", type: type,
            issuer: .ed25519(publicKey: Array(repeating: 0, count: 32)),
            issuedAt: time,
            payload: ["flight": "LH2024", "departure": 1_790_050_000, "delayMinutes": .integer(delay), "gate": "A12"])
    }

    static func attestations(in directory: String) throws -> String {
        let lines = [
            try airline.sign(status(id: "s1", type: "scheduled"), scheme: .eip191).json,
            try stranger.sign(status(id: "x1", type: "delay", delay: 999, at: 1_790_000_030), scheme: .eip191).json,
            try airline.sign(status(id: "d1", type: "delay", delay: 400, at: 1_790_000_060), scheme: .eip191).json,
        ]
        let path = directory + "/attestations.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a dry run never opens a connection to the effect's host, and shows triggers, states, requests and cost")
    func neverConnects() async throws {
        let listener = try LocalListener()
        let directory = try TemporaryDirectory()
        let base = "http://127.0.0.1:\(listener.port)/api"
        let script = try Self.script(in: directory.path, hotelAPI: base)
        let attestations = try Self.attestations(in: directory.path)
        let responses = directory.path + "/responses.json"
        try #"{"rebookHotel": ["timeout", 503, {"status": 201, "body": {"booking": "H-1"}}]}"#
            .write(toFile: responses, atomically: true, encoding: .utf8)

        let arguments = [
            script, "--attestations", attestations, "--responses", responses, "--allow-egress", "127.0.0.1/32",
            "--allow-http",
        ]
        let options = try DryRun.Options.parse(arguments + ["--json"])
        let console = Console.capture()
        #expect(await DryRun.run(options, console: console) == 0, "\(console.output)\(console.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.map { $0["outcome"] as? String } == ["applied", "rejected", "applied", "applied"])
        #expect(steps.map { $0["trigger"] as? String } == ["scheduled", nil, "significant-delay", "hotel-rebooked"])
        #expect(steps.map { $0["to"] as? String } == ["active", "active", "rebooking", "rebooked"])
        #expect(steps.map { $0["line"] as? Int } == [1, 2, 3, nil])
        #expect((steps[1]["reason"] as? String)?.hasPrefix("untrusted-issuer") == true)
        let requests = try #require(report["requests"] as? [[String: Any]])
        #expect(requests.count == 1)
        #expect(requests.first?["method"] as? String == "POST")
        #expect(requests.first?["url"] as? String == base + "/rebookings")
        #expect((requests.first?["headers"] as? [String: String])?["Idempotency-Key"] == "rebook-LH2024-1790050000")
        #expect(requests.first?["body"] as? String == #"{"flight":"LH2024","nights":1,"reason":"flight-delay"}"#)
        #expect((requests.first?["attempts"] as? [Any])?.count == 3)
        let cost = try #require(report["cost"] as? [String: Int])
        #expect(cost["verifications"] == 4)
        #expect(cost["journalEntries"] == 4)
        #expect(cost["requests"] == 3)
        #expect(cost["outcomeAttestations"] == 1)
        #expect(cost["stateChanges"] == 3)
        // scheduled, significant-delay and hotel-rebooked run Lua; so does the request (sl:request + key).
        #expect(cost["sandboxExecutions"] == 4)
        #expect(report["sent"] as? Int == 0)

        // The human table too.
        let human = Console.capture()
        #expect(await DryRun.run(try DryRun.Options.parse(arguments), console: human) == 0)
        #expect(human.output.contains("active -> rebooking"), "\(human.output)")
        #expect(human.output.contains("rejected: untrusted-issuer"))
        #expect(human.output.contains("POST \(base)/rebookings"))
        #expect(human.output.contains("Idempotency-Key: rebook-LH2024-1790050000"))
        #expect(human.output.contains("none is sent in a dry run"))
        #expect(human.output.contains("Cost: "))

        #expect(listener.connectionCount() == 0)
    }

    @Test("--env overrides ts:env; without --responses every attempt gets 200")
    func environmentAndDefaults() async throws {
        let listener = try LocalListener()
        let directory = try TemporaryDirectory()
        let script = try Self.script(in: directory.path, hotelAPI: "https://unused.invalid")
        let options = try DryRun.Options.parse([
            script, "--attestations", try Self.attestations(in: directory.path),
            "--env", "hotelApi=http://127.0.0.1:\(listener.port)", "--json", "--allow-egress", "127.0.0.1/32",
            "--allow-http",
        ])
        let console = Console.capture()
        #expect(await DryRun.run(options, console: console) == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        let requests = try #require(report["requests"] as? [[String: Any]])
        #expect(requests.first?["url"] as? String == "http://127.0.0.1:\(listener.port)/rebookings")
        #expect(requests.first?["outcomes"] as? [String] == ["success"])
        #expect((report["final"] as? [String: Any])?["state"] as? String == "rebooked")
        #expect(listener.connectionCount() == 0)
    }

    @Test("recorded responses: a scenario file's responses answer the attempts in order")
    func responsesFromScenario() async throws {
        let listener = try LocalListener()
        let directory = try TemporaryDirectory()
        let script = try Self.script(in: directory.path, hotelAPI: "http://127.0.0.1:\(listener.port)")
        let options = try DryRun.Options.parse([
            script, "--attestations", try Self.attestations(in: directory.path),
            "--responses", TestPaths.tokenScripts + "/flight-ticket.tests/rebook-failed-then-succeeded.scenario.json",
            "--json", "--allow-egress", "127.0.0.1/32", "--allow-http",
        ])
        let console = Console.capture()
        #expect(await DryRun.run(options, console: console) == 0, "\(console.output)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        let requests = try #require(report["requests"] as? [[String: Any]])
        let attempts = try #require(requests.first?["attempts"] as? [[String: Any]])
        #expect(attempts.map { $0["waitMilliseconds"] as? Int } == [0, 2000, 4000])
        #expect(requests.first?["outcomes"] as? [String] == ["success"])
        #expect(listener.connectionCount() == 0)
    }

    @Test("a bad attestation line is named; exit 2")
    func badLine() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.script(in: directory.path, hotelAPI: "https://unused.invalid")
        let path = directory.path + "/bad.jsonl"
        let good = try Self.airline.sign(Self.status(id: "s1", type: "scheduled"), scheme: .eip191).json
        try (good + "\n\n{\"id\":\"x\"}\n").write(toFile: path, atomically: true, encoding: .utf8)
        let console = Console.capture()
        #expect(await DryRun.run(try DryRun.Options.parse([script, "--attestations", path]), console: console) == 2)
        #expect(console.errorOutput.contains("bad.jsonl:3:"), "\(console.errorOutput)")
    }
}
