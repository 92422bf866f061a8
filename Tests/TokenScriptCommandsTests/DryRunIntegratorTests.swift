import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript dry-run` for integrators: starting from a given instance, interface arguments, the node's
/// clock firing schedules, the node's key, final attributes, and a journal that `replay` checks.
@Suite("dry-run for integrators")
struct DryRunIntegratorTests {
    static let flightTicket = TestPaths.tokenScripts + "/flight-ticket.xml"
    static let samples = TestPaths.tokenScripts + "/flight-ticket.tests/sample-statuses.jsonl"
    /// The samples' run: a ticket created for LH2024 (its triggers listen to `flight-status/${flight}`).
    static let sampleRun = [flightTicket, "--initial", newTicket, "--attestations", samples]
    static let newTicket = TestPaths.tokenScripts + "/flight-ticket.tests/new-ticket.json"
    /// An active ticket departing at 1790050000: `expire` is due twelve hours later, at 1790093200.
    static let activeTicket = #"{"state": "active", "attributes": {"flight": "LH2024", "departureTime": 1790050000}}"#

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
        let console = Console.capture()
        let status = await DryRun.run(try DryRun.Options.parse(arguments), console: console)
        return (status, console.output, console.errorOutput)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func write(_ text: String, _ name: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.path + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The flight ticket with an interface that answers with its arguments.
    static func echoScript(in directory: TemporaryDirectory) throws -> String {
        let text = try String(contentsOfFile: flightTicket, encoding: .utf8).replacingOccurrences(
            of: "    </sl:server>",
            with: """
                        <sl:interface name="echo">
                            return {args = args, state = state, nights = args.nights}
                        </sl:interface>
                    </sl:server>
                """)
        return try write(text, "flight-ticket.xml", in: directory)
    }

    @Test("--initial and --query need no attestations; --arg values are JSON when they parse, else text")
    func initialAndArguments() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.echoScript(in: directory)
        let initial = try Self.write(Self.activeTicket, "state.json", in: directory)
        let run = try await Self.run([
            script, "--initial", initial, "--query", "echo", "--query", "flightStatus", "--arg", "nights=2",
            "--arg", "flight=LH2024", "--arg", #"extras={"bags": [1, 2]}"#, "--arg", "empty=", "--json",
        ])
        #expect(run.status == 0, "\(run.output)\(run.errors)")
        let json = try Self.json(run.output)
        #expect(json["status"] as? String == "ok")
        let queries = try #require(json["queries"] as? [String: Any])
        let echo = try #require(queries["echo"] as? [String: Any])
        #expect(echo["state"] as? String == "active")
        #expect(echo["nights"] as? Int == 2)
        let args = try #require(echo["args"] as? [String: Any])
        #expect(args["flight"] as? String == "LH2024")
        #expect(args["empty"] as? String == "")
        #expect((args["extras"] as? [String: Any])?["bags"] as? [Int] == [1, 2])
        let status = try #require(queries["flightStatus"] as? [String: Any])
        #expect(status["departureTime"] as? Int == 1_790_050_000)
        let final = try #require(json["final"] as? [String: Any])
        #expect((final["attributes"] as? [String: Any])?["flight"] as? String == "LH2024")
        #expect((final["computed"] as? [String: Any])?["status"] as? String == "active")
        #expect((json["steps"] as? [Any])?.isEmpty == true)
    }

    @Test("--advance fires a due schedule, signed by the node, at its due time; text shows the final attributes")
    func advanceFiresSchedules() async throws {
        let directory = try TemporaryDirectory()
        let initial = try Self.write(Self.activeTicket, "state.json", in: directory)
        for advance in ["PT30H", "1790090000,PT1H"] {
            let run = try await Self.run([
                Self.flightTicket, "--initial", initial, "--now", "1790000000", "--advance", advance, "--json",
            ])
            #expect(run.status == 0, "\(run.output)\(run.errors)")
            let json = try Self.json(run.output)
            let steps = try #require(json["steps"] as? [[String: Any]])
            #expect(steps.count == 1, "\(advance)")
            #expect(steps.first?["trigger"] as? String == "expire")
            let attestation = try #require(steps.first?["attestation"] as? [String: Any])
            #expect(attestation["topic"] as? String == "schedule/expire")
            #expect(attestation["issuedAt"] as? Int == 1_790_093_200)
            #expect((json["final"] as? [String: Any])?["state"] as? String == "expired")
        }
        // Not yet due: nothing fires, the clock still moves.
        let early = try await Self.run([
            Self.flightTicket, "--initial", initial, "--now", "1790000000", "--advance", "PT12H", "--json",
        ])
        let json = try Self.json(early.output)
        #expect((json["steps"] as? [Any])?.isEmpty == true)
        #expect(json["clock"] as? Int == 1_790_043_200)

        let text = try await Self.run([
            Self.flightTicket, "--initial", initial, "--now", "1790000000", "--advance", "P2D",
        ])
        #expect(text.status == 0, "\(text.errors)")
        #expect(text.output.contains("schedule/expire schedule"), "\(text.output)")
        #expect(text.output.contains("Final state: expired"))
        #expect(text.output.contains("Final attributes:"))
        #expect(text.output.contains("  flight = \"LH2024\""))
        #expect(text.output.contains("  status = \"expired\"  (computed)"), "\(text.output)")
    }

    @Test("an every= schedule ticks once per period while the clock advances")
    func everySchedule() async throws {
        let directory = try TemporaryDirectory()
        let text = try String(contentsOfFile: Self.flightTicket, encoding: .utf8)
            .replacingOccurrences(
                of: #"<sl:on-schedule after="PT12H" from="departureTime"/>"#, with: #"<sl:on-schedule every="PT1H"/>"#
            )
            .replacingOccurrences(
                of: #"<sl:trigger name="expire">"#, with: #"<sl:trigger name="expire" states="active">"#
            )
            .replacingOccurrences(
                of: #"<sl:transition goto="expired"/>"#,
                with:
                    "<sl:transition>return {attributes = {delayMinutes = attributes.delayMinutes + 1}}</sl:transition>")
        let script = try Self.write(text, "flight-ticket.xml", in: directory)
        let initial = try Self.write(Self.activeTicket, "state.json", in: directory)
        let run = try await Self.run([
            script, "--initial", initial, "--now", "1790000000", "--advance", "PT5H30M", "--json",
        ])
        #expect(run.status == 0, "\(run.output)\(run.errors)")
        let json = try Self.json(run.output)
        let steps = try #require(json["steps"] as? [[String: Any]])
        let times = steps.compactMap { ($0["attestation"] as? [String: Any])?["issuedAt"] as? Int }
        #expect(times == [1_790_003_600, 1_790_007_200, 1_790_010_800, 1_790_014_400, 1_790_018_000])
        let final = try #require(json["final"] as? [String: Any])
        #expect((final["attributes"] as? [String: Any])?["delayMinutes"] as? Int == 5)

        let longer = try await Self.run([script, "--initial", initial, "--now", "1790000000", "--advance", "P2D"])
        #expect(longer.status == 0, "\(longer.errors)")
        #expect(longer.output.contains("delayMinutes = 48"), "\(longer.output)")
    }

    @Test("a schedule tick signed with the --node-key key is accepted; without the flag the same tick is refused")
    func nodeKey() async throws {
        let directory = try TemporaryDirectory()
        let seed = Array(repeating: UInt8(0x42), count: 32)
        let keyFile = try KeyFile(scheme: "ed25519", seed: seed)
        let keyPath = try Self.write(keyFile.json, "node.key", in: directory)
        let tick = try Ed25519AttestationSigner(seed: seed).sign(
            Attestation(
                id: "tick-1", topic: "schedule/expire", type: "schedule",
                issuer: .ed25519(publicKey: Array(repeating: 0, count: 32)), issuedAt: 1_790_100_000,
                payload: .object([:])))
        let attestations = try Self.write(tick.json + "\n", "tick.jsonl", in: directory)
        let initial = try Self.write(Self.activeTicket, "state.json", in: directory)
        let base = [Self.flightTicket, "--initial", initial, "--attestations", attestations, "--json"]

        let trusted = try await Self.run(base + ["--node-key", keyPath])
        #expect(trusted.status == 0, "\(trusted.output)\(trusted.errors)")
        let json = try Self.json(trusted.output)
        #expect((json["final"] as? [String: Any])?["state"] as? String == "expired")
        #expect(json["node"] as? String == keyFile.publicKey.map { String($0.dropFirst(2)) })

        let untrusted = try Self.json(try await Self.run(base).output)
        let step = try #require((untrusted["steps"] as? [[String: Any]])?.first)
        #expect(step["outcome"] as? String == "rejected")
        #expect((untrusted["final"] as? [String: Any])?["state"] as? String == "active")
    }

    @Test("--journal writes the run's journal, signed by the node, and replay with --node-key says ok")
    func journalReplays() async throws {
        let directory = try TemporaryDirectory()
        let journal = directory.path + "/run.journal"
        let run = try await Self.run(
            Self.sampleRun + [
                "--advance", "P2D", "--journal", journal, "--json",
            ])
        #expect(run.status == 0, "\(run.output)\(run.errors)")
        let json = try Self.json(run.output)
        let node = try #require(json["node"] as? String)
        let steps = try #require(json["steps"] as? [[String: Any]])
        // The samples, the hotel's outcome, and the expiry tick.
        #expect(steps.contains { $0["trigger"] as? String == "expire" })
        #expect(steps.contains { ($0["source"] as? String)?.hasPrefix("effect") == true })

        let console = Console.capture()
        let replay = try ReplayJournal.Options.parse([
            journal, "--script", Self.flightTicket, "--initial", Self.newTicket, "--node-key", node, "--journal-key",
            node,
        ])
        #expect(await ReplayJournal.run(replay, console: console) == 0, "\(console.output)\(console.errorOutput)")
        #expect(console.output.contains("ok: \(steps.count) steps of dry-run replayed"), "\(console.output)")
        #expect(console.output.contains("signed by \(node) (the given journal key)"))

        // As the README does it: the node's key file for both commands.
        let keyPath = try Self.write(
            try KeyFile(scheme: "ed25519", seed: Array(repeating: 0x42, count: 32)).json, "node.key", in: directory)
        let keyed = directory.path + "/keyed.journal"
        let keyedRun = try await Self.run(
            Self.sampleRun + [
                "--advance", "P2D", "--node-key", keyPath,
                "--journal", keyed,
            ])
        #expect(keyedRun.status == 0, "\(keyedRun.errors)")
        #expect(keyedRun.output.contains("tokenscript replay \(keyed) --script"), "\(keyedRun.output)")
        let keyedReplay = Console.capture()
        let keyedOptions = try ReplayJournal.Options.parse([
            keyed, "--script", Self.flightTicket, "--initial", Self.newTicket, "--node-key", keyPath,
        ])
        #expect(await ReplayJournal.run(keyedOptions, console: keyedReplay) == 0, "\(keyedReplay.output)")

        // Without the node's key the node-signed inputs do not verify: the replay cannot reproduce them.
        let without = Console.capture()
        #expect(
            await ReplayJournal.run(
                try .parse([journal, "--script", Self.flightTicket, "--initial", Self.newTicket]), console: without)
                != 0)

        // The journal is never overwritten.
        let again = try await Self.run(Self.sampleRun + ["--journal", journal])
        #expect(again.status == 2)
        #expect(again.output.isEmpty)
        #expect(again.errors.contains("--journal \(journal): already exists"), "\(again.errors)")
    }

    @Test("a journal in which the simulated anchor signed the failure replays with --simulated-anchor, unchanged")
    func anchorSignedJournalReplays() async throws {
        let directory = try TemporaryDirectory()
        let journal = directory.path + "/anchor.journal"
        let responses = TestPaths.tokenScripts + "/flight-ticket.tests/timeouts-until-failure.scenario.json"
        let run = try await Self.run(
            Self.sampleRun + [
                "--responses", responses, "--journal", journal, "--json",
            ])
        let json = try Self.json(run.output)
        let node = try #require(json["node"] as? String)
        let steps = try #require(json["steps"] as? [[String: Any]])
        // `hotel-unreachable` fires only on the anchoring node's signed `failed` outcome.
        #expect(steps.contains { $0["trigger"] as? String == "hotel-unreachable" }, "\(steps)")

        let console = Console.capture()
        let replay = try ReplayJournal.Options.parse([
            journal, "--script", Self.flightTicket, "--initial", Self.newTicket, "--node-key", node,
            "--simulated-anchor", "--json",
        ])
        #expect(await ReplayJournal.run(replay, console: console) == 0, "\(console.output)")
        let report = try Self.json(console.output)
        #expect(report["definitionChanged"] as? Bool == false, "\(console.output)")

        // Without it the anchor's key is the document's: its failure attestation no longer verifies.
        let without = Console.capture()
        let plain = try ReplayJournal.Options.parse([
            journal, "--script", Self.flightTicket, "--initial", Self.newTicket, "--node-key", node,
        ])
        #expect(await ReplayJournal.run(plain, console: without) == 1, "\(without.output)")
    }

    @Test("the clock starts at the attestations' time, not the system's; an advance past 2^53-1 is refused by name")
    func clockFromAttestations() async throws {
        let run = try await Self.run(Self.sampleRun + ["--advance", "PT1H", "--json"])
        #expect(run.status == 0, "\(run.errors)")
        // The last sample is issued at 1790010800, years before this machine's clock: the run is reproducible.
        #expect(try Self.json(run.output)["clock"] as? Int == 1_790_010_800 + 3600, "\(run.output)")
        let far = try await Self.run(
            Self.sampleRun + [
                "--advance", "9007199254740000,P1D",
            ])
        #expect(far.status == 2)
        #expect(far.output.isEmpty)
        #expect(far.errors.contains("--advance: 9007199254826400 is beyond the latest time"), "\(far.errors)")
    }

    @Test("a run started with --initial replays from the same state file (replay --initial), and only from it")
    func initialJournalReplays() async throws {
        let directory = try TemporaryDirectory()
        let initial = try Self.write(Self.activeTicket, "state.json", in: directory)
        let journal = directory.path + "/initial.journal"
        let run = try await Self.run([
            Self.flightTicket, "--initial", initial, "--now", "1790000000", "--advance", "P2D", "--journal", journal,
        ])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("--initial \(initial)"), "\(run.output)")
        let journalKey = try #require(
            Journal(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: journal))))
                .signerKeyHex)
        let replayed = Console.capture()
        let options = try ReplayJournal.Options.parse([
            journal, "--script", Self.flightTicket, "--node-key", journalKey, "--initial", initial,
        ])
        #expect(await ReplayJournal.run(options, console: replayed) == 0, "\(replayed.output)\(replayed.errorOutput)")
        #expect(replayed.output.contains("ok: 1 steps of dry-run replayed"), "\(replayed.output)")

        let fromDocument = Console.capture()
        let withoutInitial = try ReplayJournal.Options.parse([
            journal, "--script", Self.flightTicket, "--node-key", journalKey,
        ])
        #expect(await ReplayJournal.run(withoutInitial, console: fromDocument) == 1)

        let other = try Self.write(#"{"state": "lounge"}"#, "other.json", in: directory)
        let wrongStart = Console.capture()
        let withOther = try ReplayJournal.Options.parse([
            journal, "--script", Self.flightTicket, "--node-key", journalKey, "--initial", other,
        ])
        #expect(await ReplayJournal.run(withOther, console: wrongStart) == 1)

        let unknown = try Self.write(#"{"state": "boarding"}"#, "unknown.json", in: directory)
        let badStart = Console.capture()
        let withUnknown = try ReplayJournal.Options.parse([
            journal, "--script", Self.flightTicket, "--initial", unknown,
        ])
        #expect(await ReplayJournal.run(withUnknown, console: badStart) == 2)
        #expect(badStart.errorOutput.contains("state: unknown state boarding"), "\(badStart.errorOutput)")
    }

    @Test("a failing query makes the dry run fail: exit 1, status failed")
    func failingQuery() async throws {
        let run = try await Self.run(Self.sampleRun + ["--query", "nope", "--json"])
        #expect(run.status == 1, "\(run.output)")
        let json = try Self.json(run.output)
        #expect(json["status"] as? String == "failed")
        let answer = try #require((json["queries"] as? [String: Any])?["nope"] as? [String: Any])
        #expect((answer["error"] as? String)?.contains("no sl:interface named nope") == true)
    }

    @Test(
        "bad --initial, --arg, --advance and --node-key exit 2 with a message naming the flag, nothing on stdout",
        arguments: [
            (#"{"state": "active",, }"#, ["--query", "flightStatus"], "--initial: not valid JSON", ""),
            (
                #"{"state": "boarding"}"#, ["--query", "flightStatus"], "--initial",
                "state.json: state: unknown state boarding"
            ),
            (
                #"{"state": "active", "attributes": {"flight": 7}}"#, ["--query", "flightStatus"], "--initial",
                "state.json: attributes.flight:"
            ),
            (#"{"stat": "active"}"#, [], "--initial", "state.json: stat: unknown field"),
            (#"{}"#, ["--query", "flightStatus", "--arg", "nights"], "--arg expects NAME=VALUE", ""),
            (#"{}"#, ["--query", "flightStatus", "--arg", "=2"], "--arg expects NAME=VALUE", ""),
            (#"{}"#, ["--query", "flightStatus", "--arg", "a=1", "--arg", "a=2"], "--arg a: given twice", ""),
            (#"{}"#, ["--arg", "a=1", "--advance", "PT1H"], "--arg: arguments are for --query", ""),
            (#"{}"#, ["--advance", "PT6X"], "--advance PT6X: expected an ISO-8601 duration", ""),
            (#"{}"#, ["--advance", "P1Y"], "--advance P1Y: expected an ISO-8601 duration", ""),
            (#"{}"#, ["--advance", "PT1H,"], "--advance : expected", ""),
            (#"{}"#, ["--advance", "P99999D"], "--advance P99999D: longer than P36500D", ""),
            (#"{}"#, ["--now", "1790000000", "--advance", "1000"], "is before the clock", ""),
            (#"{}"#, [], "nothing to do: give --attestations, --advance, or --initial with --query", ""),
        ])
    func badInput(_ state: String, _ extra: [String], _ message: String, _ detail: String) async throws {
        let directory = try TemporaryDirectory()
        let initial = try Self.write(state, "state.json", in: directory)
        for json in [false, true] {
            let run = try await Self.run(
                [Self.flightTicket, "--initial", initial] + extra + (json ? ["--json"] : []))
            #expect(run.status == 2, "\(run.output)\(run.errors)")
            let text = json ? run.output : run.errors
            #expect(text.contains(message), "\(text)")
            #expect(detail.isEmpty || text.contains(detail), "\(text)")
            if json {
                #expect(try Self.json(run.output)["status"] as? String == "error")
            } else {
                #expect(run.output.isEmpty)
            }
        }
    }

    @Test("malformed --initial JSON names the file, line and column: in the text, and as fields with --json")
    func malformedInitial() async throws {
        let directory = try TemporaryDirectory()
        let initial = try Self.write("{\n  \"state\": \"active\",, }", "state.json", in: directory)
        let text = try await Self.run([Self.flightTicket, "--initial", initial, "--query", "flightStatus"])
        #expect(text.status == 2)
        #expect(text.output.isEmpty)
        #expect(text.errors.hasPrefix("error: \(initial):2:21: --initial: not valid JSON"), "\(text.errors)")
        let json = try await Self.run([Self.flightTicket, "--initial", initial, "--query", "flightStatus", "--json"])
        #expect(json.status == 2)
        let error = try #require(try Self.json(json.output)["error"] as? [String: Any])
        #expect(error["file"] as? String == initial)
        #expect(error["line"] as? Int == 2)
        #expect(error["column"] as? Int == 21)
    }

    @Test("--node-key must be an ed25519 key file")
    func badNodeKey() async throws {
        let directory = try TemporaryDirectory()
        let eip191 = try Self.write(
            try KeyFile(scheme: "eip191", seed: Array(repeating: 0x11, count: 32)).json, "airline.key", in: directory)
        let missing = directory.path + "/missing.key"
        for (key, message) in [(eip191, "scheme: a node signs with ed25519"), (missing, "--node-key \(missing)")] {
            let run = try await Self.run(Self.sampleRun + ["--node-key", key])
            #expect(run.status == 2)
            #expect(run.output.isEmpty)
            #expect(run.errors.contains(message), "\(run.errors)")
        }
    }
}
