import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptJSON
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `tokenscript anchor` and three `tokenscript node --anchor` processes on 127.0.0.1: an instance created on
/// one node is hosted on every placement host, an input posted to another node is ordered by the executor the
/// anchor elected, and every host reaches the same state hash at the same position; the anchor records no
/// evidence. The executor killed with SIGKILL, the anchor elects another host with a higher epoch.
@Suite("tokenscript node --anchor: three nodes joined to one anchor", .serialized)
struct NetworkProcessTests {
    @Test("a ticket created on one node, attested on another: every host the same state hash and position")
    func threeNodesAgree() async throws {
        let network = try await ProcessNetwork.start(nodes: 3)
        defer { network.stopAll() }
        try await network.createTicket(on: 0)

        let statuses = try HostingFixture.statuses()
        let posted = try await LoopbackHTTP.request(
            "POST", port: network.nodePorts[1], path: "/v1/attestations", body: statuses[0])
        #expect(posted.status == 200, "\(posted.body)")
        #expect(posted.body.contains("ticket-1"))
        let delayed = try await LoopbackHTTP.request(
            "POST", port: network.nodePorts[2], path: "/v1/attestations", body: statuses[1])
        #expect(delayed.status == 200, "\(delayed.body)")

        let views = try await network.views(at: 2, on: Array(network.nodePorts.indices))
        #expect(Set(views.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        #expect(views.allSatisfy { $0["state"]?.stringValue == "delayed" })
        #expect(views.allSatisfy { $0["attributes"]?.objectValue?["delayMinutes"]?.integerValue == 40 })
        // Every host reports its steps; the anchor compared them and found nothing against anyone.
        try await Task.sleep(for: .seconds(1.5))
        #expect(try await network.anchoring().evidence().isEmpty)
        // A hash that differs from what the hosts reported for position 2 is evidence: the hosts did report.
        let probe = try await network.anchoring(as: 2).report([
            .init(instance: "ticket-1", sequence: 2, stateHash: String(repeating: "0", count: 64))
        ])
        #expect(probe.first?.expected == views[0]["stateHash"]?.stringValue)
        #expect(probe.first.map { network.names.contains($0.expectedBy) } == true)
        for child in network.children { #expect(try await child.terminate() == 0) }
    }

    @Test("a node reports the API calls it answered: the anchor records them against it, next to its probes")
    func servedCallsReported() async throws {
        let network = try await ProcessNetwork.start(nodes: 1)
        defer { network.stopAll() }
        let levels = RemoteAnchoringNode(connection: try network.connection(as: 1))
        func calls() async throws -> UInt64 {
            try await levels.serviceLevels().nodes.first { $0.node == "n1" }?.record?.calls ?? 0
        }
        let before = try await calls()
        for _ in 0..<50 {
            let listed = try await LoopbackHTTP.request("GET", port: network.nodePorts[0], path: "/v1/instances")
            #expect(listed.status == 200)
        }
        // Reported once a second; the anchor's own probes add about one call a second besides.
        let deadline = Date().addingTimeInterval(20)
        while try await calls() < before + 50, Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        #expect(try await calls() >= before + 50)
        for child in network.children { #expect(try await child.terminate() == 0) }
    }

    @Test(
        "the executor SIGKILLed: a host elected with a higher epoch applies what follows; restarted, it catches up"
    )
    func executorKilled() async throws {
        let network = try await ProcessNetwork.start(nodes: 3)
        defer { network.stopAll() }
        try await network.createTicket(on: 0)
        let statuses = try HostingFixture.statuses()
        #expect(
            try await LoopbackHTTP.request(
                "POST", port: network.nodePorts[1], path: "/v1/attestations", body: statuses[0]
            )
            .status == 200)
        for port in network.nodePorts {
            _ = try await network.waitFor(port: port) { $0["position"]?.integerValue == 1 }
        }

        let election = try network.election()
        let first = try #require(try await election.record(of: "ticket-1"))
        let executor = try #require(first.holder.flatMap { name in network.names.firstIndex(of: name) })
        try await network.nodes[executor].killNow()
        let survivors = network.nodePorts.indices.filter { $0 != executor }

        let delayed = try await LoopbackHTTP.request(
            "POST", port: network.nodePorts[survivors[0]], path: "/v1/attestations", body: statuses[1])
        #expect(delayed.status == 200, "\(delayed.body)")
        let views = try await network.views(at: 2, on: survivors, seconds: 30)
        #expect(Set(views.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        let second = try #require(try await election.record(of: "ticket-1"))
        #expect(second.lease.epoch > first.lease.epoch)
        #expect(second.holder != first.holder)
        #expect(second.holder.map { network.names.contains($0) } == true)
        try await Task.sleep(for: .seconds(1.5))
        #expect(try await network.anchoring().evidence().isEmpty)

        // Restarted over its data directory, the killed node joins again and catches up from the anchor's log.
        let port = try await network.restart(executor)
        let caughtUp = try await network.waitFor(port: port, seconds: 30) { $0["position"]?.integerValue == 2 }
        #expect(caughtUp["stateHash"]?.stringValue == views[0]["stateHash"]?.stringValue)
        try await Task.sleep(for: .seconds(1.5))
        #expect(try await network.anchoring().evidence().isEmpty)
        for index in network.nodes.indices { #expect(try await network.nodes[index].terminate() == 0) }
        #expect(try await network.anchor.terminate() == 0)
    }

    @Test("an executor paused past its lease loses it: resumed, it follows the new executor and orders nothing")
    func pausedExecutorFollows() async throws {
        let network = try await ProcessNetwork.start(nodes: 3)
        defer { network.stopAll() }
        try await network.createTicket(on: 0)
        let statuses = try HostingFixture.statuses()
        let first = try await LoopbackHTTP.request(
            "POST", port: network.nodePorts[0], path: "/v1/attestations", body: statuses[0])
        #expect(first.status == 200)
        for port in network.nodePorts {
            _ = try await network.waitFor(port: port) { $0["position"]?.integerValue == 1 }
        }
        let election = try network.election()
        let before = try #require(try await election.record(of: "ticket-1"))
        let paused = try #require(before.holder.flatMap { network.names.firstIndex(of: $0) })
        let others = network.nodePorts.indices.filter { $0 != paused }

        _ = kill(network.nodes[paused].pid, SIGSTOP)
        let delayed = try await LoopbackHTTP.request(
            "POST", port: network.nodePorts[others[0]], path: "/v1/attestations", body: statuses[1])
        #expect(delayed.status == 200)
        for index in others {
            _ = try await network.waitFor(port: network.nodePorts[index], seconds: 30) {
                $0["position"]?.integerValue == 2
            }
        }
        _ = kill(network.nodes[paused].pid, SIGCONT)
        let after = try #require(try await election.record(of: "ticket-1"))
        #expect(after.lease.epoch > before.lease.epoch)
        #expect(after.holder != before.holder)

        // A later delay posted to the resumed node: left in the inbox, ordered by the new executor only.
        let airline = TestKeys.airline
        let later = try airline.sign(
            Attestation(
                id: "lh2024-delay-later", topic: "flight-status/LH2024", type: "delay",
                issuer: .eip191(airline.address), issuedAt: 1_790_007_200,
                payload: .object([
                    "delayMinutes": .integer(90), "departure": .integer(1_790_050_000), "flight": .string("LH2024"),
                    "gate": .string("A12"),
                ])), scheme: .eip191)
        let posted = try await LoopbackHTTP.request(
            "POST", port: network.nodePorts[paused], path: "/v1/attestations", body: later.json)
        #expect(posted.status == 200, "\(posted.body)")
        let views = try await network.views(at: 3, on: Array(network.nodePorts.indices), seconds: 30)
        #expect(Set(views.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        #expect(views.allSatisfy { $0["attributes"]?.objectValue?["delayMinutes"]?.integerValue == 90 })
        let last = try #require(try await election.record(of: "ticket-1"))
        #expect(last.holder == after.holder)
        try await Task.sleep(for: .seconds(1.5))
        #expect(try await network.anchoring().evidence().isEmpty)
        for child in network.children { #expect(try await child.terminate() == 0) }
    }

    @Test("an effect run by the elected executor: its outcome is applied by every host, the hotel booked once")
    func effectAcrossHosts() async throws {
        let directory = try TemporaryDirectory()
        let hotel = try HotelAPIServer()
        let script = directory.path + "/flight-ticket.xml"
        let text = try String(contentsOfFile: HostingFixture.scriptPath, encoding: .utf8)
            .replacingOccurrences(of: "https://hotels.example.org/api/v2", with: hotel.baseURL.absoluteString)
            .replacingOccurrences(of: "${env.hotelApi}/rebookings", with: "${env.hotelApi}/bookings")
        try Data(text.utf8).write(to: URL(fileURLWithPath: script))
        let network = try await ProcessNetwork.start(
            nodes: 3, script: script, arguments: ["--allow-egress", "127.0.0.1", "--allow-http"])
        defer { network.stopAll() }
        try await network.createTicket(on: 2)
        let statuses = try HostingFixture.statuses()
        for (index, status) in [statuses[0], statuses[2]].enumerated() {
            let posted = try await LoopbackHTTP.request(
                "POST", port: network.nodePorts[index], path: "/v1/attestations", body: status)
            #expect(posted.status == 200, "\(posted.body)")
        }
        var views: [[JSONKey: JSONValue]] = []
        for port in network.nodePorts {
            views.append(try await network.waitFor(port: port, seconds: 30) { $0["state"]?.stringValue == "rebooked" })
        }
        #expect(views.allSatisfy { $0["position"]?.integerValue == 3 })
        #expect(Set(views.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        #expect(hotel.bookingCount == 1)
        try await Task.sleep(for: .seconds(1.5))
        #expect(try await network.anchoring().evidence().isEmpty)
        for child in network.children { #expect(try await child.terminate() == 0) }
    }

    @Test("an effect the executor cannot complete is routed through the anchor: its statement applied by every host")
    func effectRoutedThroughAnchor() async throws {
        let directory = try TemporaryDirectory()
        // The executor's four attempts fail; the anchor's attempt books.
        let hotel = try HotelAPIServer { call in call <= 4 ? .status(503) : .normal }
        let script = directory.path + "/flight-ticket.xml"
        let text = try String(contentsOfFile: HostingFixture.scriptPath, encoding: .utf8)
            .replacingOccurrences(of: "https://hotels.example.org/api/v2", with: hotel.baseURL.absoluteString)
            .replacingOccurrences(of: "${env.hotelApi}/rebookings", with: "${env.hotelApi}/bookings")
        try Data(text.utf8).write(to: URL(fileURLWithPath: script))
        let egress = ["--allow-egress", "127.0.0.1", "--allow-http"]
        let network = try await ProcessNetwork.start(
            nodes: 3, script: script, arguments: egress, anchorArguments: egress)
        defer { network.stopAll() }
        try await network.createTicket(on: 1)
        let statuses = try HostingFixture.statuses()
        for status in [statuses[0], statuses[2]] {
            let posted = try await LoopbackHTTP.request(
                "POST", port: network.nodePorts[0], path: "/v1/attestations", body: status)
            #expect(posted.status == 200, "\(posted.body)")
        }
        var views: [[JSONKey: JSONValue]] = []
        for port in network.nodePorts {
            views.append(try await network.waitFor(port: port, seconds: 60) { $0["state"]?.stringValue == "rebooked" })
        }
        // The executor's `error` outcome (position 3), then the anchor's `success` statement (4), on every host.
        #expect(views.allSatisfy { $0["position"]?.integerValue == 4 })
        #expect(Set(views.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        #expect(hotel.bookingCount == 1)
        let routings = try await network.anchoring().routings()
        let executor = try #require(try await network.election().record(of: "ticket-1")?.holder)
        #expect(routings.map(\.executor) == [executor])
        #expect(routings.map(\.outcome) == ["success"])
        try await Task.sleep(for: .seconds(1.5))
        #expect(try await network.anchoring().evidence().isEmpty)
        for child in network.children { #expect(try await child.terminate() == 0) }
    }

    @Test("--anchor (or the config's anchor) must be http://HOST:PORT and needs --key: refused naming the field")
    func refusesBadAnchor() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path + "/data"
        let base = ["node", "--listen", "127.0.0.1:0", "--data", data]
        let bad = try await Subprocess.run(
            TestPaths.executable("tokenscript"), base + ["--anchor", "ftp://127.0.0.1/x"])
        #expect(bad.status == 2)
        #expect(bad.standardError.contains("anchor: expected http://HOST:PORT"))
        let config = directory.path + "/node.json"
        try Data("{\"anchor\": \"127.0.0.1:8090\"}".utf8).write(to: URL(fileURLWithPath: config))
        let fromFile = try await Subprocess.run(TestPaths.executable("tokenscript"), base + ["--config", config])
        #expect(fromFile.status == 2)
        #expect(fromFile.standardError.contains("anchor: expected http://HOST:PORT"))
        let keyless = try await Subprocess.run(
            TestPaths.executable("tokenscript"), base + ["--anchor", "http://127.0.0.1:9"])
        #expect(keyless.status == 2)
        #expect(keyless.standardError.contains("key: a node joining an anchor"))
        let key = directory.path + "/node.key"
        #expect(
            try await Subprocess.run(
                TestPaths.executable("tokenscript"), ["keys", "new", "--scheme", "ed25519", "--out", key]
            ).status == 0)
        let untrusted = try await Subprocess.run(
            TestPaths.executable("tokenscript"),
            base + ["--key", key, "--script", HostingFixture.scriptPath, "--executor-key", "0x12"])
        #expect(untrusted.status == 2)
        #expect(untrusted.standardError.contains("executor-key: expected a 0x ed25519 public key"))
        for outcome in [bad, fromFile, keyless, untrusted] { #expect(!outcome.standardOutput.contains("READY")) }
        #expect(!FileManager.default.fileExists(atPath: data))
    }
}
