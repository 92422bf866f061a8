import Foundation
import Testing
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `tokenscript node` as operators run it: the built binary as a child process on a free port, spoken to
/// over real HTTP, stopped by SIGTERM to its PID.
@Suite("tokenscript node as a process")
struct NodeProcessTests {
    @Test("a node announces READY, serves health, readiness, metrics and instances, and exits 0 on SIGTERM")
    func servesAndStops() async throws {
        let directory = try TemporaryDirectory()
        let node = try ServerChild(arguments: [
            "node", "--listen", "127.0.0.1:0", "--data", directory.path + "/data", "--name", "node-a",
        ])
        let port = try await node.waitForReady()

        let health = try await LoopbackHTTP.request("GET", port: port, path: "/health")
        #expect(health.status == 200)
        #expect(health.body.contains("\"name\":\"node-a\""))
        let ready = try await LoopbackHTTP.request("GET", port: port, path: "/ready")
        #expect(ready.status == 200)
        #expect(ready.body == "{\"status\":\"ready\"}")
        let instances = try await LoopbackHTTP.request("GET", port: port, path: "/v1/instances")
        #expect(instances.status == 200)
        #expect(instances.headers["content-type"] == "application/json")
        #expect(instances.body == "{\"instances\":[]}")
        let unknown = try await LoopbackHTTP.request("GET", port: port, path: "/no/such/route")
        #expect(unknown.status == 404)
        #expect(
            unknown.body
                == "{\"error\":{\"code\":\"not-found\",\"message\":\"no route GET /no/such/route\"},"
                + "\"status\":\"error\"}")
        #expect(unknown.body.contains("\"status\":\"error\""))
        let metrics = try await LoopbackHTTP.request("GET", port: port, path: "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("# TYPE tokenscript_http_requests_total counter"))
        #expect(metrics.body.contains("route=\"/health\""))
        #expect(FileManager.default.fileExists(atPath: directory.path + "/data/node.sqlite"))

        let status = try await node.terminate()
        #expect(status == 0)
    }

    @Test("a node refuses a bad --listen naming the field, and exits 2 without serving")
    func refusesBadListen() async throws {
        let directory = try TemporaryDirectory()
        let outcome = try await Subprocess.run(
            TestPaths.executable("tokenscript"), ["node", "--listen", "127.0.0.1:99999", "--data", directory.path])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("listen: port must be 0…65535"))
        #expect(!outcome.standardOutput.contains("READY"))
    }

    @Test("a node with a capacity outside 1…1000 is refused naming the field, exit 2", arguments: ["0", "1001", "-3"])
    func refusesBadCapacity(capacity: String) async throws {
        let directory = try TemporaryDirectory()
        let outcome = try await Subprocess.run(
            TestPaths.executable("tokenscript"),
            ["node", "--listen", "127.0.0.1:0", "--data", directory.path + "/data", "--capacity=\(capacity)"])
        #expect(outcome.status == 2)
        #expect(
            outcome.standardError.contains("capacity: expected 1…1000, got \(capacity)"), "\(outcome.standardError)")
        #expect(!outcome.standardOutput.contains("READY"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/data"))
    }

    @Test("a node without a data directory, or with an eip191 key, is refused naming the field")
    func refusesMissingDataAndWrongKeyScheme() async throws {
        let directory = try TemporaryDirectory()
        let noData = try await Subprocess.run(TestPaths.executable("tokenscript"), ["node", "--listen", "127.0.0.1:0"])
        #expect(noData.status == 2)
        #expect(noData.standardError.contains("data: required"))

        let key = directory.path + "/eth.key"
        let made = try await Subprocess.run(
            TestPaths.executable("tokenscript"), ["keys", "new", "--scheme", "eip191", "--out", key])
        #expect(made.status == 0)
        let wrongKey = try await Subprocess.run(
            TestPaths.executable("tokenscript"),
            ["node", "--listen", "127.0.0.1:0", "--data", directory.path + "/data", "--key", key])
        #expect(wrongKey.status == 2)
        #expect(wrongKey.standardError.contains("key: a node signs with ed25519, not eip191"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/data"))
    }

    @Test("a node reads its config file, and a flag overrides the file's field")
    func readsConfigFile() async throws {
        let directory = try TemporaryDirectory()
        let config = directory.path + "/node.json"
        try Data("{\"listen\": \"127.0.0.1:0\", \"data\": \"\(directory.path)/data\", \"name\": \"from-file\"}".utf8)
            .write(to: URL(fileURLWithPath: config))
        let node = try ServerChild(arguments: ["node", "--config", config, "--name", "from-flag"])
        let port = try await node.waitForReady()
        let health = try await LoopbackHTTP.request("GET", port: port, path: "/health")
        #expect(health.body.contains("\"name\":\"from-flag\""))
        #expect(try await node.terminate() == 0)
    }

    @Test("a config file with an unknown field is refused naming the field")
    func refusesUnknownConfigField() async throws {
        let directory = try TemporaryDirectory()
        let config = directory.path + "/node.json"
        try Data("{\"listne\": \"127.0.0.1:0\", \"data\": \"\(directory.path)\"}".utf8)
            .write(to: URL(fileURLWithPath: config))
        let outcome = try await Subprocess.run(TestPaths.executable("tokenscript"), ["node", "--config", config])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("listne: unknown field"))
    }
}
