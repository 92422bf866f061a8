import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TokenScriptJSON
import Prometheus
import TokenScriptEngine
import TokenScriptHTTPServer
import TokenScriptNode
import TokenScriptSQLite
import TokenScriptTesting

/// A single node's routes in process over a real SQLite store in a temporary directory, hosting the flight
/// ticket (`HostingFixture.host`), for the suites that drive the node API through Hummingbird's test client.
struct HostedApplication {
    let directory: TemporaryDirectory
    let store: SQLiteStore
    let host: InstanceHost
    let application: Application<RouterResponder<BasicRequestContext>>

    init(positionWait: Duration = .seconds(2)) throws {
        directory = try TemporaryDirectory()
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
        host = try HostingFixture.host(store: store, clock: clock, positionWait: positionWait)
        let configuration = NodeConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory.path, name: "n1")
        application = Application(
            router: NodeRouter.router(
                configuration: configuration, store: SQLiteNodeStore(store),
                readiness: ServiceReadiness(), registry: PrometheusCollectorRegistry(), host: host))
    }

    /// A JSON object answer's members.
    static func object(_ buffer: ByteBuffer) throws -> [JSONKey: JSONValue] {
        try #require(try JSONValue(parsing: String(buffer: buffer)).objectValue)
    }

    /// Creates flight ticket `id` (`HostingFixture.createBody`) through the API; 201 expected.
    static func create(_ client: some TestClientProtocol, _ id: String) async throws {
        try await client.execute(
            uri: "/v1/instances", method: .post, body: ByteBuffer(string: HostingFixture.createBody(id: id))
        ) { #expect($0.status == .created) }
    }
}
