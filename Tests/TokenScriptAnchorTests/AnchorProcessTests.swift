import AsyncHTTPClient
import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptClusterConformance
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `tokenscript anchor` as operators run it: the built binary as a child process, stopped by SIGTERM.
@Suite("tokenscript anchor as a process")
struct AnchorProcessTests {
    @Test("an anchor announces READY, answers /health with its key, creates anchor.sqlite and exits 0 on SIGTERM")
    func servesAndStops() async throws {
        let directory = try TemporaryDirectory()
        let key = directory.path + "/anchor.key"
        let made = try await Subprocess.run(
            TestPaths.executable("tokenscript"), ["keys", "new", "--scheme", "ed25519", "--out", key])
        #expect(made.status == 0, "\(made.standardError)")
        let anchor = try ServerChild(arguments: [
            "anchor", "--listen", "127.0.0.1:0", "--data", directory.path + "/data", "--name", "anchor-1", "--key", key,
            "--node-timeout", "5", "--lease-term", "20",
        ])
        let port = try await anchor.waitForReady()
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(10))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
        #expect(response.status.code == 200)
        #expect(body.contains("\"name\":\"anchor-1\""))
        #expect(body.contains("\"role\":\"anchor\""))
        let unsigned = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/nodes"), timeout: .seconds(10))
        #expect(unsigned.status.code == 401)
        #expect(FileManager.default.fileExists(atPath: directory.path + "/data/anchor.sqlite"))
        #expect(try await anchor.terminate() == 0)
    }

    @Test("SIGTERM with a node's log stream open: the stream ends with an error and the anchor exits 0")
    func stopsWithOpenStream() async throws {
        let directory = try TemporaryDirectory()
        let key = directory.path + "/anchor.key"
        _ = try await Subprocess.run(
            TestPaths.executable("tokenscript"), ["keys", "new", "--scheme", "ed25519", "--out", key])
        let anchor = try ServerChild(arguments: [
            "anchor", "--listen", "127.0.0.1:0", "--data", directory.path + "/data", "--key", key,
        ])
        let port = try await anchor.waitForReady()
        let signer = NodeRequestSigner(
            name: "node-a", signer: try Ed25519AttestationSigner(seed: AnchorFixture.seed("node-a")))
        let connection = AnchorConnection(anchorURL: "http://127.0.0.1:\(port)", signer: signer)
        try await RemotePlacement(connection: connection, url: "http://127.0.0.1:1").register(capacity: 1)
        let log = RemoteAttestationLog(connection: connection)
        _ = try await log.append(AttestationLogConformance.attestation("s-1", topic: "t"), fencedBy: nil)
        var entries = try await log.subscribe(topic: "t", from: 1).makeAsyncIterator()
        #expect(try await entries.next()?.attestation.id == "s-1")
        #expect(try await anchor.terminate() == 0)
        await #expect(throws: (any Error).self) { _ = try await entries.next() }
    }

    @Test("an anchor without a key is refused naming the field, exit 2")
    func refusesMissingKey() async throws {
        let directory = try TemporaryDirectory()
        let outcome = try await Subprocess.run(
            TestPaths.executable("tokenscript"), ["anchor", "--listen", "127.0.0.1:0", "--data", directory.path])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("key: required"))
        #expect(!outcome.standardOutput.contains("READY"))
    }

    @Test(
        "an anchor with replicas outside 1…64 is refused naming the field, exit 2, no store made",
        arguments: ["0", "65"])
    func refusesBadReplicas(replicas: String) async throws {
        let directory = try TemporaryDirectory()
        let key = directory.path + "/anchor.key"
        _ = try await Subprocess.run(
            TestPaths.executable("tokenscript"), ["keys", "new", "--scheme", "ed25519", "--out", key])
        let outcome = try await Subprocess.run(
            TestPaths.executable("tokenscript"),
            [
                "anchor", "--listen", "127.0.0.1:0", "--data", directory.path + "/data", "--key", key, "--replicas",
                replicas,
            ])
        #expect(outcome.status == 2)
        let refusal = "replicas: expected 1…64, got \(replicas)"
        #expect(outcome.standardError.contains(refusal), "\(outcome.standardError)")
        #expect(!outcome.standardOutput.contains("READY"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/data/anchor.sqlite"))
    }
}
