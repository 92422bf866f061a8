import Foundation
import Testing
@testable import TokenScriptAnchor
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptEffects
import TokenScriptTesting

/// Pins choose an instance's hosts, and so its executor: only the anchor's operators may set them, never a
/// node (which could otherwise pin every instance to itself).
@Suite("Anchor operators: who may pin")
struct AnchorOperatorTests {
    @Test("a member node's pin is 403 not-an-operator and changes nothing; the operator's pin places first")
    func onlyOperatorsPin() async throws {
        try await AnchorFixture.with { fixture in
            let node = try await fixture.join("node-1")
            try await fixture.join("node-2")
            let refused = await #expect(throws: AnchorClientError.self) {
                try await node.placement.pin("ticket-1", to: ["node-1"])
            }
            #expect(refused?.status == 403)
            #expect(refused?.code == "not-an-operator")
            #expect(try await fixture.anchor.placement.pins(of: "ticket-1") == [])

            let hosts = try await fixture.operatorPlacement.pinned("ticket-1", to: ["node-2"])
            #expect(hosts.first?.id == "node-2")
            #expect(try await fixture.anchor.placement.pins(of: "ticket-1") == ["node-2"])
        }
    }

    @Test("a pin signed with another key under the operator's name is 401, and nothing changes")
    func forgedOperator() async throws {
        try await AnchorFixture.with { fixture in
            try await fixture.join("node-1")
            let forger = NodeRequestSigner(
                name: AnchorFixture.operatorName,
                signer: try Ed25519AttestationSigner(seed: AnchorFixture.seed("somebody-else")))
            let clock = fixture.clock
            let connection = AnchorConnection(
                anchorURL: fixture.url, signer: forger, timeout: .seconds(60), now: { clock.unixSeconds() })
            let refused = await #expect(throws: AnchorClientError.self) {
                try await RemotePlacement(connection: connection, url: fixture.url).pin("ticket-1", to: ["node-1"])
            }
            #expect(refused?.status == 401)
            #expect(try await fixture.anchor.placement.pins(of: "ticket-1") == [])
        }
    }

    @Test("a node cannot register under an operator's name: 403 operator-name, no member added")
    func operatorNameIsNotANode() async throws {
        try await AnchorFixture.with { fixture in
            let refused = await #expect(throws: AnchorClientError.self) {
                try await fixture.join(AnchorFixture.operatorName)
            }
            #expect(refused?.status == 403)
            #expect(refused?.code == "operator-name")
            #expect(fixture.anchor.membership.members().isEmpty)
        }
    }

    @Test("an operator named like a member is a configuration error naming the field")
    func operatorNamedLikeMember() async throws {
        let directory = try TemporaryDirectory()
        let key = try Ed25519AttestationSigner(seed: AnchorFixture.seed("x")).issuer
        let error = await #expect(throws: AnchorConfigurationError.self) {
            _ = try await Anchor(
                dataDirectory: directory.path, name: "anchor",
                signer: try Ed25519AttestationSigner(seed: AnchorFixture.seed("a")), nodeTimeout: 3, leaseTerm: 10,
                clock: ManualClock(unixSeconds: AnchorFixture.start),
                transport: RefusingEffectTransport(), members: ["n1": key], operators: ["n1": key])
        }
        #expect(error?.field == "operator")
    }

    @Test("tokenscript pin: the operator pins (exit 0, the hosts as JSON); a node's key is refused (exit 1)")
    func pinCommand() async throws {
        let directory = try TemporaryDirectory()
        let tokenscript = TestPaths.executable("tokenscript")
        var keys: [String: String] = [:]
        for name in ["anchor", "ops", "n1"] { keys[name] = try AnchorFixture.writeKeyFile(name, in: directory.path) }
        let anchor = try ServerChild(arguments: [
            "anchor", "--listen", "127.0.0.1:0", "--data", directory.path + "/data", "--key",
            directory.path + "/anchor.key", "--operator", "ops=\(keys["ops"]!)", "--member", "n1=\(keys["n1"]!)",
            "--node-timeout", "600",
        ])
        let url = "http://127.0.0.1:\(try await anchor.waitForReady())"
        let n1 = RemotePlacement(
            connection: AnchorConnection(
                anchorURL: url,
                signer: NodeRequestSigner(
                    name: "n1", signer: try Ed25519AttestationSigner(seed: AnchorFixture.seed("n1")))),
            url: "http://127.0.0.1:1")
        try await n1.register(capacity: 1)
        try await n1.heartbeat()

        let pinned = try await Subprocess.run(
            tokenscript,
            ["pin", "ticket-7", "n1", "--anchor", url, "--key", directory.path + "/ops.key", "--name", "ops", "--json"])
        #expect(pinned.status == 0, "\(pinned.standardOutput)\(pinned.standardError)")
        let answer = try JSONSerialization.jsonObject(with: Data(pinned.standardOutput.utf8)) as? [String: Any]
        #expect(answer?["instance"] as? String == "ticket-7")
        #expect(answer?["pinned"] as? [String] == ["n1"])
        #expect((answer?["hosts"] as? [[String: Any]])?.first?["id"] as? String == "n1")

        let refused = try await Subprocess.run(
            tokenscript, ["pin", "ticket-7", "--anchor", url, "--key", directory.path + "/n1.key", "--name", "n1"])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("not-an-operator"), "\(refused.standardError)")
        #expect(try await anchor.terminate() == 0)
    }
}
