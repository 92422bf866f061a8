import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSandbox
import TokenScriptTesting
@testable import TokenScriptCommands

/// `attest sign --schedule` / `--attribute`: the hosting node's inputs, in the form the engine matches. Proven
/// by applying them to the flight ticket, prepared with `ExecutorTrust` trusting the node's new key as every node
/// of a deployment prepares it: `expire` fires on a due tick only, `new-holder` on an attribute change.
@Suite("attest sign: the hosting node's schedules and attribute changes")
struct AttestSignHostingNodeTests {
    /// The flight ticket's machine with `nodeKey` trusted as the hosting node, and an active ticket departing at
    /// 1790050000 with lounge access.
    static func activeTicket(
        nodeKey: String, pool: SandboxPool
    ) throws -> (TokenStateMachine, TokenInstance) {
        let loaded = try TokenScriptReader.read(file: TestPaths.tokenScripts + "/flight-ticket.xml")
        let server = try #require(loaded.tokenScript.server)
        let prepared = ExecutorTrust.prepare(server, executors: [(name: "node", key: nodeKey)], anchor: nil)
        let definition = try TokenDefinition(name: "FlightTicket", server: prepared)
        var ticket = definition.newInstance(id: "ticket-1")
        ticket.state = "lounge"
        ticket.attributes["flight"] = .string("LH2024")
        ticket.attributes["departureTime"] = .int(1_790_050_000)
        ticket.attributes["loungeAccess"] = .bool(true)
        return (TokenStateMachine(definition: definition, runtime: pool), ticket)
    }

    /// Runs `attest sign` with `arguments`; the status and the console.
    static func sign(_ arguments: [String]) async throws -> (Int32, Console) {
        let console = Console.capture()
        return (await AttestSign.run(try AttestSign.Options.parse(arguments), console: console), console)
    }

    static func signed(_ arguments: [String]) async throws -> Attestation {
        let (status, console) = try await sign(arguments)
        #expect(status == 0, "\(console.errorOutput)")
        return try Attestation(json: console.output.trimmingCharacters(in: .newlines))
    }

    @Test("a node-signed schedule tick is accepted: too early it fires nothing, when due it fires expire")
    func scheduleTick() async throws {
        let directory = try TemporaryDirectory()
        let node = try await AttestSignCommandTests.newKey("ed25519", in: directory.path)
        let pool = try SandboxPool(configuration: .init(size: 1))
        defer { pool.shutdown() }
        let (machine, ticket) = try Self.activeTicket(nodeKey: node.file.issuerKey, pool: pool)
        // `expire` is due 12 hours after departure.
        let due: UInt64 = 1_790_050_000 + 12 * 3600

        let early = try await Self.signed(["--key", node.path, "--schedule", "expire", "--issued-at", "\(due - 1)"])
        #expect(early.topic == "schedule/expire" && early.type == "schedule" && early.payload == .object([:]))
        let notYet = try await machine.apply(early, to: ticket, now: due - 1, history: SeenAttestations())
        #expect(notYet.disposition == .unmatched)
        #expect(notYet.instance.state == "lounge")

        let tick = try await Self.signed(["--key", node.path, "--schedule", "expire", "--issued-at", "\(due)"])
        let expired = try await machine.apply(tick, to: ticket, now: due, history: SeenAttestations())
        #expect(expired.disposition == .applied(trigger: "expire"))
        #expect(expired.instance.state == "expired")
    }

    @Test("a node-signed attribute change is accepted and fires the attribute's trigger with old and new")
    func attributeChange() async throws {
        let directory = try TemporaryDirectory()
        let node = try await AttestSignCommandTests.newKey("ed25519", in: directory.path)
        let pool = try SandboxPool(configuration: .init(size: 1))
        defer { pool.shutdown() }
        let (machine, ticket) = try Self.activeTicket(nodeKey: node.file.issuerKey, pool: pool)
        let change = try await Self.signed([
            "--key", node.path, "--attribute", "ownerAddress", "--old", #""0xaaaa""#, "--new", #""0xbbbb""#,
            "--issued-at", "1790000000",
        ])
        #expect(change.topic == "attribute/ownerAddress" && change.type == "change")
        #expect(change.payload == .object(["old": .string("0xaaaa"), "new": .string("0xbbbb")]))
        let outcome = try await machine.apply(change, to: ticket, now: 1_790_000_000, history: SeenAttestations())
        #expect(outcome.disposition == .applied(trigger: "new-holder"))
        #expect(outcome.instance.attributes["loungeAccess"] == .bool(false))

        // Signed by a key the ticket does not trust as its node: refused, not applied.
        try FileManager.default.createDirectory(atPath: directory.path + "/other", withIntermediateDirectories: false)
        let stranger = try await AttestSignCommandTests.newKey("ed25519", in: directory.path + "/other")
        let forged = try await Self.signed([
            "--key", stranger.path, "--attribute", "ownerAddress", "--old", "null", "--new", #""0xcccc""#,
        ])
        let refused = try await machine.apply(forged, to: ticket, now: forged.issuedAt, history: SeenAttestations())
        #expect(refused.verified == nil)
        #expect(refused.instance == ticket)
    }

    @Test(
        "mixing the hosting node's flags with a statement's, or leaving one out, is a usage error (exit 2)",
        arguments: [
            (["--schedule", "expire", "--topic", "t/x"], "--schedule: cannot be combined with --topic"),
            (["--schedule", "expire", "--payload", "{}"], "--schedule: cannot be combined with --payload"),
            (["--schedule", "expire", "--old", "1"], "--schedule: cannot be combined with --old"),
            (["--schedule", "expire", "--attribute", "a", "--old", "1", "--new", "2"], "give one"),
            (["--attribute", "a", "--type", "change", "--old", "1", "--new", "2"], "cannot be combined with --type"),
            (["--attribute", "a", "--old", "1"], "--attribute: needs --old and --new"),
            (
                ["--old", "1", "--new", "2", "--topic", "t/x", "--type", "x", "--payload", "{}"],
                "only with --attribute"
            ),
            (["--topic", "t/x", "--type", "x"], "missing --payload"),
            (["--schedule", "a/b"], "--schedule: \"a/b\" is not a trigger or attribute name"),
            (["--attribute", "a", "--old", "1", "--new", "{"], "--new: "),
        ])
    func usage(arguments: [String], expected: String) async throws {
        let directory = try TemporaryDirectory()
        let node = try await AttestSignCommandTests.newKey("ed25519", in: directory.path)
        let (status, console) = try await Self.sign(["--key", node.path] + arguments)
        #expect(status == 2)
        #expect(console.output.isEmpty)
        #expect(console.errorOutput.contains(expected), "\(console.errorOutput)")
    }

    @Test("the hosting node signs with an ed25519 key: an eip191 key is refused for --schedule")
    func nodeKeyScheme() async throws {
        let directory = try TemporaryDirectory()
        let wallet = try await AttestSignCommandTests.newKey("eip191", in: directory.path)
        let (status, console) = try await Self.sign(["--key", wallet.path, "--schedule", "expire"])
        #expect(status == 2)
        #expect(console.errorOutput.contains("with an ed25519 key"), "\(console.errorOutput)")
    }
}
