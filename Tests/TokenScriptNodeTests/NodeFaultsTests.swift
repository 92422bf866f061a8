import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Testing
import TokenScriptHTTPServer
import TokenScriptNode
import TokenScriptSQLite
import TokenScriptTesting

/// `--fault-injection`: `POST /v1/faults` slows every other answer of the node (a slow node for the partition
/// tests and the demo), and without the flag the route does not exist.
@Suite("Injected faults: a slow node on demand")
struct NodeFaultsTests {
    static func application(faultInjection: Bool, faults: NodeFaults = NodeFaults()) throws -> (
        TemporaryDirectory, Application<RouterResponder<BasicRequestContext>>
    ) {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(
            path: directory.path + "/node.sqlite", clock: ManualClock(unixSeconds: 1_700_000_000))
        let configuration = NodeConfiguration(
            host: "127.0.0.1", port: 0, dataDirectory: directory.path, name: "n1", faultInjection: faultInjection)
        let router = NodeRouter.router(
            configuration: configuration, store: SQLiteNodeStore(store), readiness: ServiceReadiness(),
            registry: PrometheusCollectorRegistry(), faults: faults)
        return (directory, Application(router: router))
    }

    @Test("a delay set by POST /v1/faults holds every other answer back at least that long; 0 lifts it")
    func delays() async throws {
        let (directory, application) = try Self.application(faultInjection: true)
        _ = directory
        try await application.test(.router) { client in
            try await client.execute(
                uri: "/v1/faults", method: .post, body: ByteBuffer(string: "{\"delayMilliseconds\":400}")
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{\"delayMilliseconds\":400,\"status\":\"ok\"}")
            }
            let clock = ContinuousClock()
            let slow = try await clock.measure {
                try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            }
            #expect(slow >= .milliseconds(400))
            try await client.execute(
                uri: "/v1/faults", method: .post, body: ByteBuffer(string: "{\"delayMilliseconds\":0}")
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test(
        "a malformed or out-of-range fault is 400, and the delay in force stays",
        arguments: ["{\"delayMilliseconds\":-1}", "{\"delayMilliseconds\":10001}", "{\"delay\":5}", "[]", "{"])
    func refused(_ body: String) async throws {
        let faults = NodeFaults()
        let (directory, application) = try Self.application(faultInjection: true, faults: faults)
        _ = directory
        try await application.test(.router) { client in
            try await client.execute(
                uri: "/v1/faults", method: .post, body: ByteBuffer(string: "{\"delayMilliseconds\":300}")
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/faults", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest, "\(String(buffer: response.body))")
                #expect(String(buffer: response.body).contains("\"status\":\"error\""))
            }
            // The delay set before is still the one in force.
            #expect(faults.delayMilliseconds == 300)
            let clock = ContinuousClock()
            let still = try await clock.measure {
                try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            }
            #expect(still >= .milliseconds(300))
        }
    }

    @Test("without --fault-injection the route answers 404 fault-injection-off, and nothing is delayed")
    func absentWithoutTheFlag() async throws {
        let faults = NodeFaults()
        let (directory, application) = try Self.application(faultInjection: false, faults: faults)
        _ = directory
        try await application.test(.router) { client in
            try await client.execute(
                uri: "/v1/faults", method: .post, body: ByteBuffer(string: "{\"delayMilliseconds\":5000}")
            ) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("fault-injection-off"))
            }
            // Read from the node's own fault state, not timed: an upper bound on a request's time fails on a
            // loaded machine (5.02 s for /health once, under CI).
            #expect(faults.delayMilliseconds == 0, "the refused 5 s delay is not in force")
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
        }
    }
}
