import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptJSON
import TokenScriptTesting

/// Two topics reach three hosts in different interleavings: each host is given both inputs of a round, in its
/// own order (one host a-then-b, one b-then-a, one concurrently). The counter's step keeps the time of the
/// last input it applied, so two hosts that applied in their delivery order would differ; the order recorded
/// once in `order/<instance>` decides for all of them.
@Suite("tokenscript node --anchor: topics in different interleavings", .serialized)
struct InterleavingProcessTests {
    static let meter = TestKeys.ed25519(0x51)

    /// `Fixtures/engine/counter.xml` (ticks on `meter/*`) with the meter's key replaced by the test's.
    static func counterScript(in directory: TemporaryDirectory) throws -> String {
        let text = try String(contentsOfFile: TestPaths.fixtures + "/engine/counter.xml", encoding: .utf8)
            .replacingOccurrences(
                of: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                with: String(meter.issuer.key.dropFirst(2)))
        let path = directory.path + "/counter.xml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func tick(topic: String, round: Int, issuedAt: UInt64) throws -> String {
        let tick = Attestation(
            id: "tick-\(topic.dropFirst(6))-\(round)", topic: topic, type: "tick", issuer: meter.issuer,
            issuedAt: issuedAt,
            payload: .object(["amount": .integer(Int64(round)), "bag": .object([topic: .integer(1)])]))
        return try meter.sign(tick).json
    }

    @Test("each host given a round's two topics in its own order: every host the same state hash at every round")
    func interleavingsAgree() async throws {
        let directory = try TemporaryDirectory()
        let network = try await ProcessNetwork.start(nodes: 3, script: try Self.counterScript(in: directory))
        defer { network.stopAll() }
        try await SmartCarNetworkProcessTests.create("counter", "counter-1", "", on: network.nodePorts[0])
        for port in network.nodePorts {
            _ = try await network.waitFor(port: port, instance: "counter-1") { $0["position"]?.integerValue == 0 }
        }

        let start = UInt64(Date().timeIntervalSince1970) - 600
        let rounds = 4
        for round in 1...rounds {
            let a = try Self.tick(topic: "meter/a", round: round, issuedAt: start + UInt64(round) * 10)
            let b = try Self.tick(topic: "meter/b", round: round, issuedAt: start + UInt64(round) * 10 + 1)
            let ports = network.nodePorts
            // Host 1 gets a then b, host 2 b then a, host 3 both at once.
            async let first = Self.post([a, b], to: ports[0])
            async let second = Self.post([b, a], to: ports[1])
            async let third = Self.postConcurrently([a, b], to: ports[2])
            let statuses = try await first + second + third
            #expect(statuses.allSatisfy { $0 == 200 }, "round \(round): \(statuses)")
            var views: [[JSONKey: JSONValue]] = []
            for port in ports {
                views.append(
                    try await network.waitFor(port: port, seconds: 30, instance: "counter-1") {
                        $0["position"]?.integerValue == Int64(2 * round)
                    })
            }
            #expect(Set(views.map { $0["stateHash"]?.stringValue ?? "" }).count == 1, "round \(round)")
            #expect(views.allSatisfy { $0["attributes"]?.objectValue?["count"]?.integerValue == Int64(2 * round) })
        }

        // Every host applied the inputs in the order the executor recorded once, not in its own delivery order:
        // the last input of order/counter-1 set lastSeen on every host.
        let log = RemoteAttestationLog(connection: try network.connection(as: 1))
        let order = try await log.entries(topic: "order/counter-1", from: 1, limit: 100)
        #expect(order.count == 2 * rounds)
        let lastInput = try #require(order.last?.attestation.payload.json.objectValue?["id"]?.stringValue)
        let expected = start + UInt64(rounds) * 10 + (lastInput.hasPrefix("tick-b") ? 1 : 0)
        for port in network.nodePorts {
            let view = try await network.waitFor(port: port, instance: "counter-1") { _ in true }
            #expect(view["attributes"]?.objectValue?["lastSeen"]?.integerValue == Int64(expected))
        }
        try await Task.sleep(for: .seconds(1.5))
        #expect(try await network.anchoring().evidence().isEmpty)
        for child in network.children { #expect(try await child.terminate() == 0) }
    }

    /// Posts `bodies` to `port` one after the other; their statuses.
    static func post(_ bodies: [String], to port: Int) async throws -> [Int] {
        var statuses: [Int] = []
        for body in bodies {
            statuses.append(
                try await LoopbackHTTP.request("POST", port: port, path: "/v1/attestations", body: body).status)
        }
        return statuses
    }

    /// Posts `bodies` to `port` all at once; their statuses.
    static func postConcurrently(_ bodies: [String], to port: Int) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for body in bodies {
                group.addTask {
                    try await LoopbackHTTP.request("POST", port: port, path: "/v1/attestations", body: body).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}
