import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptTesting

/// A real `tokenscript anchor` process probes its members: a node that keeps heartbeating but answers its
/// `/health` with an error burns its budget within seconds, and the anchor says so in its log, on `/metrics` and
/// to `tokenscript levels`, which an operator or a member may run.
@Suite("tokenscript levels: service levels from a live anchor")
struct AnchorLevelsCommandTests {
    @Test(
        """
        a member whose probes fail pages; levels shows it to an operator, as a table and as JSON, with each node's \
        objective (one set by --objective)
        """
    )
    func unansweredProbesPage() async throws {
        let directory = try TemporaryDirectory()
        let tokenscript = TestPaths.executable("tokenscript")
        var keys: [String: String] = [:]
        for name in ["anchor", "ops", "n1", "n2"] {
            keys[name] = try AnchorFixture.writeKeyFile(name, in: directory.path)
        }
        let anchor = try ServerChild(arguments: [
            "anchor", "--listen", "127.0.0.1:0", "--data", directory.path + "/data", "--key",
            directory.path + "/anchor.key", "--operator", "ops=\(keys["ops"]!)", "--member", "n1=\(keys["n1"]!)",
            "--member", "n2=\(keys["n2"]!)", "--node-timeout", "600", "--objective", "n2=99.95,500ms,7d",
        ])
        defer { try? FileManager.default.removeItem(atPath: directory.path + "/data") }
        let port = try await anchor.waitForReady()
        let url = "http://127.0.0.1:\(port)"
        // n1's URL is a path of the anchor with no /health under it (404); n2's is the anchor itself (200).
        for (name, nodeURL) in [("n1", url + "/missing"), ("n2", url)] {
            let node = RemotePlacement(
                connection: AnchorConnection(
                    anchorURL: url,
                    signer: NodeRequestSigner(
                        name: name, signer: try Ed25519AttestationSigner(seed: AnchorFixture.seed(name)))),
                url: nodeURL)
            try await node.register(capacity: 4)
            try await node.heartbeat()
        }

        // One probe a second: ten failed ones are the rule's minimum. Waited for through the API (cheap), then
        // read once with the command.
        let operatorView = RemoteAnchoringNode(
            connection: AnchorConnection(
                anchorURL: url,
                signer: NodeRequestSigner(
                    name: "ops", signer: try Ed25519AttestationSigner(seed: AnchorFixture.seed("ops")))))
        let deadline = Date().addingTimeInterval(120)
        while try await operatorView.serviceLevels().nodes.first(where: { $0.node == "n1" })?.standing?.level != .page {
            guard Date() < deadline else {
                Issue.record("n1 did not page within 120 s: \(try await operatorView.serviceLevels())")
                break
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        let run = try await Subprocess.run(
            tokenscript, ["levels", "--anchor", url, "--key", directory.path + "/ops.key", "--name", "ops", "--json"])
        #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
        let levels = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any] ?? [:]
        let nodes = levels["nodes"] as? [[String: Any]] ?? []
        let n1 = try #require(nodes.first { $0["node"] as? String == "n1" })
        let n2 = try #require(nodes.first { $0["node"] as? String == "n2" })
        #expect(n1["weight"] as? Int == 0)
        #expect(n2["weight"] as? Int == 4)
        #expect((n2["standing"] as? [String: Any])?["level"] == nil)
        // n2's objective from --objective; n1's the standard one.
        let objective = { (node: [String: Any]) in node["objective"] as? [String: Any] ?? [:] }
        #expect(objective(n2)["goodPerMillion"] as? Int == 999_500)
        #expect(objective(n2)["latencyMilliseconds"] as? Int == 500)
        #expect(objective(n2)["periodSeconds"] as? Int == 7 * 86_400)
        #expect(objective(n1)["goodPerMillion"] as? Int == 999_000)
        #expect(objective(n1)["latencyMilliseconds"] as? Int == 1_000)
        #expect(((n1["record"] as? [String: Any])?["failedCalls"] as? Int ?? 0) >= 10)
        #expect(((n2["record"] as? [String: Any])?["calls"] as? Int ?? 0) >= 1, "n2's probes are calls answered")

        let table = try await Subprocess.run(
            tokenscript, ["levels", "--anchor", url, "--key", directory.path + "/n2.key", "--name", "n2"])
        #expect(table.status == 0, "\(table.standardError)")
        #expect(table.standardOutput.contains("n1: page, weight 0"), "\(table.standardOutput)")
        #expect(table.standardOutput.contains("n2: ok, weight 4"), "\(table.standardOutput)")

        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: url + "/metrics"), timeout: .seconds(30))
        let metrics = String(buffer: try await response.body.collect(upTo: 1 << 20))
        #expect(metrics.contains("tokenscript_node_service_level{node=\"n1\"} 2"), "\(metrics)")
        #expect(metrics.contains("tokenscript_node_placement_weight{node=\"n1\"} 0"))
        #expect(metrics.contains("tokenscript_node_placement_weight{node=\"n2\"} 4"))
        #expect(metrics.contains("tokenscript_node_burn_rate{node=\"n1\",window=\"300s\"}"))

        let stranger = try await Subprocess.run(
            tokenscript, ["levels", "--anchor", url, "--key", directory.path + "/anchor.key", "--name", "nobody"])
        #expect(stranger.status == 1, "an unknown signer is refused: \(stranger.standardError)")
        let unreachable = try await Subprocess.run(
            tokenscript,
            ["levels", "--anchor", "http://127.0.0.1:1", "--key", directory.path + "/ops.key", "--name", "ops"])
        #expect(unreachable.status == 2, "no anchor answering: \(unreachable.standardError)")

        #expect(try await anchor.terminate() == 0)
        #expect(anchor.errorOutput.contains("node burning its error budget"), "\(anchor.errorOutput)")
    }
}
