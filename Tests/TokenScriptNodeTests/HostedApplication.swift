import Hummingbird
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
                configuration: configuration, instances: SQLiteInstanceStore(store: store),
                readiness: ServiceReadiness(), registry: PrometheusCollectorRegistry(), host: host))
    }
}
