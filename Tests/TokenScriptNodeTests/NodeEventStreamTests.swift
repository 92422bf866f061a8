import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Testing
import TokenScriptAttestation
import TokenScriptCommands
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptNode
import TokenScriptSQLite
import TokenScriptTesting
import TokenScriptHTTPServer

/// The instance's step stream (`GET /v1/instances/{id}/events`) and the node command's refusals of hosting.
@Suite("Instance events and hosting refusals")
struct NodeEventStreamTests {
    @Test("the event stream sends each applied step with its position, state and stateHash; no grant is a 403")
    func eventStream() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        let store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
        let host = try HostingFixture.host(store: store, clock: clock)
        _ = try await host.create(
            script: "flight-ticket", id: "ticket-1", attributes: ["flight": .string("LH2024")],
            holder: HostingFixture.holder.issuer.key)
        let stream = try await host.events("ticket-1", grant: try HostingFixture.grant("ticket-1"), grantee: nil)
        let submitted = try await host.submit(try Attestation(json: try HostingFixture.statuses()[0]))
        #expect(submitted.instances == ["ticket-1"])
        // Keep-alives come every 15 s: on a loaded machine one may come before the step.
        let event = await BoundedWait.run(seconds: 60) { () async -> InstanceEvent? in
            do {
                for try await item in stream { if case .step(let event) = item { return event } }
            } catch {}
            return nil
        }
        let first = try #require(event ?? nil)
        let view = try #require(await host.view(of: "ticket-1"))
        #expect(first.position == 1)
        #expect(first.state == view.state)
        #expect(first.stateHash == view.stateHash)
        #expect(first.trigger != nil)

        let application = Application(
            router: NodeRouter.router(
                configuration: NodeConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory.path, name: "n1"),
                store: SQLiteNodeStore(store), readiness: ServiceReadiness(),
                registry: PrometheusCollectorRegistry(), host: host))
        try await application.test(.router) { client in
            try await client.execute(uri: "/v1/instances/ticket-1/events", method: .get) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("\"code\":\"missing\""))
            }
        }
    }

    @Test("a quiet stream sends keep-alives, and ends with grantExpired once the grant it was opened with expires")
    func streamEndsWithGrant() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        let store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
        let host = try HostingFixture.host(store: store, clock: clock)
        _ = try await host.create(
            script: "flight-ticket", id: "ticket-1", attributes: ["flight": .string("LH2024")],
            holder: HostingFixture.holder.issuer.key)
        let grant = try HostingFixture.grant("ticket-1", expiresAt: HostingFixture.now + 60)
        let stream = try await host.events("ticket-1", grant: grant, grantee: nil, keepalive: .milliseconds(50))
        // The first keep-alive comes on a quiet stream; then the grant's minute passes.
        let items = await BoundedWait.run(seconds: 20) { () async -> [InstanceStreamItem] in
            var seen: [InstanceStreamItem] = []
            do {
                for try await item in stream {
                    if seen.isEmpty { clock.advance(seconds: 61) }
                    seen.append(item)
                }
            } catch {}
            return seen
        }
        let seen = try #require(items)
        #expect(seen.first == .keepalive)
        #expect(seen.last == .grantExpired)
        #expect(!seen.contains { if case .step = $0 { true } else { false } })
        // A new stream with the expired grant is refused.
        await #expect(throws: HostError.self) { _ = try await host.events("ticket-1", grant: grant, grantee: nil) }
        await host.stop()
    }

    @Test("a node given scripts without a key, or an unreadable script, is refused naming the field")
    func refusesHostingWithoutKeyOrScript() async throws {
        let directory = try TemporaryDirectory()
        let noKey = try await Subprocess.run(
            TestPaths.executable("tokenscript"),
            ["node", "--listen", "127.0.0.1:0", "--data", directory.path + "/a", "--script", HostingFixture.scriptPath])
        #expect(noKey.status == 2)
        #expect(noKey.standardError.contains("key: a node hosting scripts needs its --key"))
        #expect(!noKey.standardOutput.contains("READY"))

        // The config file's "scripts" are read like --script.
        let config = directory.path + "/node.json"
        try Data("{\"data\": \"\(directory.path)/c\", \"scripts\": [\"\(HostingFixture.scriptPath)\"]}".utf8)
            .write(to: URL(fileURLWithPath: config))
        let fromFile = try await Subprocess.run(TestPaths.executable("tokenscript"), ["node", "--config", config])
        #expect(fromFile.status == 2)
        #expect(fromFile.standardError.contains("key: a node hosting scripts needs its --key"))

        let key = directory.path + "/node.key"
        #expect(
            try await Subprocess.run(
                TestPaths.executable("tokenscript"), ["keys", "new", "--scheme", "ed25519", "--out", key]
            ).status == 0)
        let missing = try await Subprocess.run(
            TestPaths.executable("tokenscript"),
            [
                "node", "--listen", "127.0.0.1:0", "--data", directory.path + "/b", "--key", key, "--script",
                directory.path + "/none.xml",
            ])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("scripts: cannot read \(directory.path)/none.xml"))
    }
}
