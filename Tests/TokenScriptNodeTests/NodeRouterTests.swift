import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Testing
import TokenScriptEngine
import TokenScriptNode
import TokenScriptSQLite
import TokenScriptTesting
import TokenScriptHTTPServer

/// The node's routes in process (HummingbirdTesting's router client) over a real SQLite store.
@Suite("NodeRouter in process")
struct NodeRouterTests {
    let directory: TemporaryDirectory
    let store: SQLiteStore
    let readiness = ServiceReadiness()
    let application: Application<RouterResponder<BasicRequestContext>>

    init() throws {
        directory = try TemporaryDirectory()
        store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: ManualClock(unixSeconds: 1_700_000_000))
        let configuration = NodeConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory.path, name: "n1")
        let router = NodeRouter.router(
            configuration: configuration, store: SQLiteNodeStore(store), readiness: readiness,
            registry: PrometheusCollectorRegistry())
        application = Application(router: router)
    }

    @Test("/ready answers 503 until the node is ready, then 200; /health answers 200 throughout")
    func readiness() async throws {
        let readiness = self.readiness
        try await application.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == "{\"status\":\"not ready\"}")
            }
            readiness.set(true)
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("/v1/instances lists the instances in the store, by id")
    func listsInstances() async throws {
        let instances = SQLiteInstanceStore(store: store)
        try await instances.create(TokenInstance(definitionID: "ticket@0", id: "t-2", state: "issued"), fencedBy: nil)
        try await instances.create(
            TokenInstance(definitionID: "ticket@0", id: "t-1", state: "issued", step: 3), fencedBy: nil)
        try await application.test(.router) { client in
            try await client.execute(uri: "/v1/instances", method: .get) { response in
                #expect(response.status == .ok)
                #expect(
                    String(buffer: response.body)
                        == "{\"instances\":[{\"definitionID\":\"ticket@0\",\"id\":\"t-1\",\"step\":3},"
                        + "{\"definitionID\":\"ticket@0\",\"id\":\"t-2\",\"step\":0}]}")
            }
        }
    }

    @Test("an unknown path is a JSON 404, a known path with the wrong method a JSON 405 with Allow")
    func errorsAreJSON() async throws {
        try await application.test(.router) { client in
            try await client.execute(uri: "/v2/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/json")
                #expect(String(buffer: response.body).contains("\"status\":\"error\""))
            }
            try await client.execute(uri: "/v1/instances", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
                #expect(String(buffer: response.body).contains("not allowed on /v1/instances"))
            }
        }
    }

    @Test("/metrics shows the store's commits and the writes they carried, counted once across scrapes")
    func countsCommits() async throws {
        let instances = SQLiteInstanceStore(store: store)
        @Sendable func counter(_ name: String, in text: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap {
                Double($0.split(separator: " ")[1])
            }
        }
        try await instances.create(TokenInstance(definitionID: "ticket@0", id: "t-1", state: "issued"), fencedBy: nil)
        try await instances.create(TokenInstance(definitionID: "ticket@0", id: "t-2", state: "issued"), fencedBy: nil)
        try await application.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(counter("tokenscript_store_writes_total", in: text) == 2)
                #expect((counter("tokenscript_store_commits_total", in: text) ?? 0) >= 1)
            }
            try await instances.create(
                TokenInstance(definitionID: "ticket@0", id: "t-3", state: "issued"), fencedBy: nil)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(counter("tokenscript_store_writes_total", in: String(buffer: response.body)) == 3)
            }
        }
    }

    @Test("/metrics counts requests per route and status")
    func countsRequests() async throws {
        try await application.test(.router) { client in
            for _ in 0..<3 { try await client.execute(uri: "/health", method: .get) { _ in } }
            try await client.execute(uri: "/nowhere", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(
                    text.contains(
                        "tokenscript_http_requests_total{route=\"/health\",method=\"GET\",status=\"200\"} 3"))
                #expect(
                    text.contains(
                        "tokenscript_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"))
                #expect(text.contains("tokenscript_http_request_duration_seconds"))
            }
        }
    }
}
