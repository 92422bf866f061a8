import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptJSON
import TokenScriptNode
import TokenScriptTesting

/// `tokenscript anchor` and three `tokenscript node --anchor` processes; the elected executor of the flight
/// ticket is killed with SIGKILL while its hotel rebooking is in flight — before the call, during it, and after
/// it but before its outcome is recorded. Each time a host elected with a higher epoch completes the call with
/// the same idempotency key: the hotel books once, every input and the one outcome are ordered, every surviving
/// host reaches the same state hash, and the killed node, restarted over its data directory, catches up to it.
@Suite("tokenscript node --anchor: the executor killed mid effect", .serialized)
struct EffectKillProcessTests {
    @Test("killed before the call (crash point effect-attempt-started): a new executor books, the hotel once")
    func killedBeforeTheCall() async throws {
        let hotel = try HotelAPIServer()
        let run = try await EffectKillRun.start(hotel: hotel, crashPoint: .effectAttemptStarted)
        defer { run.network.stopAll() }
        try await run.requestEffect()
        // Only the elected executor performs effects, so the node that reached the crash point was it. It died
        // before sending: the one request the hotel gets is the new executor's (checked at the end; checked here,
        // a run that held this test's thread could already see the new executor's call).
        let killed = try await run.waitForCrash()
        try await run.expectCompleted(afterKilling: killed, hotelRequests: 1)
    }

    @Test("killed during the call (SIGKILL while the hotel holds it): a new executor books, the hotel once")
    func killedDuringTheCall() async throws {
        // The hotel holds the first call until its caller hangs up (the kill), booking nothing for it.
        let hotel = try HotelAPIServer(script: [.delay(seconds: 60)])
        let run = try await EffectKillRun.start(hotel: hotel, crashPoint: nil)
        defer { run.network.stopAll() }
        try await run.requestEffect()
        let deadline = Date().addingTimeInterval(30)
        while hotel.bookingRequests.isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(hotel.bookingRequests.count == 1)
        let holder = try #require(try await run.network.election().record(of: "ticket-1")?.holder)
        let killed = try #require(run.network.names.firstIndex(of: holder))
        try await run.network.nodes[killed].killNow()
        #expect(hotel.bookingCount == 0)
        try await run.expectCompleted(afterKilling: killed, hotelRequests: 2)
    }

    @Test("killed after the call, before its outcome is recorded (effect-attempt-ended): booked once all the same")
    func killedAfterTheCall() async throws {
        let hotel = try HotelAPIServer()
        let run = try await EffectKillRun.start(hotel: hotel, crashPoint: .effectAttemptEnded)
        defer { run.network.stopAll() }
        try await run.requestEffect()
        // The hotel booked for the first executor, which died before recording the answer; the new executor
        // repeats the call with the same key (two requests, one booking, checked at the end).
        let killed = try await run.waitForCrash()
        try await run.expectCompleted(afterKilling: killed, hotelRequests: 2)
    }

    @Test("an unknown TOKENSCRIPT_CRASH_POINT, or a marker without a point: refused at start naming the variable")
    func refusesUnknownCrashPoint() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path + "/data"
        let arguments = ["node", "--listen", "127.0.0.1:0", "--data", data]
        let cases: [([String: String], String)] = [
            ([CrashPoint.pointVariable: "effect-sent"], "TOKENSCRIPT_CRASH_POINT: unknown crash point effect-sent"),
            ([CrashPoint.onceVariable: directory.path + "/marker"], "TOKENSCRIPT_CRASH_ONCE: set without"),
            (
                [CrashPoint.pointVariable: "effect-attempt-ended", CrashPoint.onceVariable: ""],
                "TOKENSCRIPT_CRASH_ONCE: expected a marker file path"
            ),
        ]
        for (environment, message) in cases {
            let refused = try await Subprocess.run(
                TestPaths.executable("tokenscript"), arguments, environment: environment)
            #expect(refused.status == 2)
            #expect(refused.standardError.contains(message), "\(refused.standardError)")
            #expect(!refused.standardOutput.contains("READY"))
        }
        #expect(!FileManager.default.fileExists(atPath: data))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/marker"))
        #expect(try CrashPoint(environment: [:]) == nil)
        #expect(
            try CrashPoint(environment: [CrashPoint.pointVariable: "effect-attempt-started"])
                == CrashPoint(point: .effectAttemptStarted))
    }
}

/// What the three kill tests share: the network (the anchor with a short node timeout, so a dead executor is
/// replaced within seconds), the flight ticket pointed at the test's hotel, the input that requests the
/// rebooking, and the checks after the kill.
struct EffectKillRun {
    static let idempotencyKey = "rebook-LH2024-1790050000"

    let network: ProcessNetwork
    let hotel: HotelAPIServer
    let directory: TemporaryDirectory
    /// The `TOKENSCRIPT_CRASH_ONCE` marker: created by the node that crashed.
    let marker: String

    /// Starts the network; with `crashPoint`, every node carries it, armed once by one marker file.
    /// With `store`, `anchors` anchoring nodes share that PostgreSQL database.
    static func start(
        hotel: HotelAPIServer, crashPoint: CrashPoint.Point?, anchors: Int = 1, store: String? = nil
    ) async throws -> EffectKillRun {
        let directory = try TemporaryDirectory()
        let script = directory.path + "/flight-ticket.xml"
        let text = try String(contentsOfFile: HostingFixture.scriptPath, encoding: .utf8)
            .replacingOccurrences(of: "https://hotels.example.org/api/v2", with: hotel.baseURL.absoluteString)
            .replacingOccurrences(of: "${env.hotelApi}/rebookings", with: "${env.hotelApi}/bookings")
        try Data(text.utf8).write(to: URL(fileURLWithPath: script))
        let marker = directory.path + "/crashed"
        var environment: [String: String] = [:]
        if let crashPoint {
            environment = [CrashPoint.pointVariable: crashPoint.rawValue, CrashPoint.onceVariable: marker]
        }
        let network = try await ProcessNetwork.start(
            nodes: 3, script: script, arguments: ["--allow-egress", "127.0.0.1", "--allow-http"],
            anchorArguments: ["--node-timeout", "2", "--lease-term", "6"], nodeEnvironment: environment,
            anchors: anchors, store: store)
        return EffectKillRun(network: network, hotel: hotel, directory: directory, marker: marker)
    }

    /// Creates ticket-1, waits until every node hosts it, and posts the scheduled status and the 400-minute
    /// delay to two different nodes; the delay moves the ticket to `rebooking`, whose step requests
    /// `rebookHotel` from the executor.
    func requestEffect() async throws {
        try await network.createTicket(on: 2)
        let statuses = try HostingFixture.statuses()
        for (index, status) in [statuses[0], statuses[2]].enumerated() {
            let posted = try await LoopbackHTTP.request(
                "POST", port: network.nodePorts[index], path: "/v1/attestations", body: status)
            #expect(posted.status == 200, "\(posted.body)")
        }
    }

    /// Waits for the node that killed itself at the crash point (SIGKILL, having created the marker).
    func waitForCrash() async throws -> Int {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let index = network.nodes.firstIndex(where: { !$0.isRunning }) {
                #expect(network.nodes[index].exitStatus == 128 + SIGKILL)
                #expect(network.nodes[index].errorOutput.contains("crash point"))
                #expect(FileManager.default.fileExists(atPath: marker))
                return index
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ServerChildError("no node reached the crash point within 30 s")
    }

    /// After the executor `killed` died with the call in flight: a surviving host elected with a higher epoch
    /// completes it; the hotel got `hotelRequests` calls, all with the one key, and booked once; the order log
    /// holds both inputs and one outcome, signed by the new executor; every survivor, and then the restarted
    /// node, is at the same state hash; the anchor recorded no evidence.
    func expectCompleted(afterKilling killed: Int, hotelRequests: Int) async throws {
        let survivors = network.nodePorts.indices.filter { $0 != killed }
        var views: [[JSONKey: JSONValue]] = []
        for index in survivors {
            views.append(
                try await network.waitFor(port: network.nodePorts[index], seconds: 60) {
                    $0["state"]?.stringValue == "rebooked"
                })
        }
        #expect(views.allSatisfy { $0["position"]?.integerValue == 3 })
        let hashes = Set(views.compactMap { $0["stateHash"]?.stringValue })
        #expect(hashes.count == 1)

        let second = try #require(try await network.election().record(of: "ticket-1"))
        // ticket-1's first election has epoch 1: a higher one is a takeover.
        #expect(second.lease.epoch > 1)
        let executor = try #require(second.holder.flatMap { network.names.firstIndex(of: $0) })
        #expect(executor != killed)

        #expect(hotel.bookingCount == 1)
        #expect(hotel.bookings.map(\.idempotencyKey) == [Self.idempotencyKey])
        #expect(hotel.bookingRequests.count == hotelRequests)
        #expect(hotel.bookingRequests.allSatisfy { $0.idempotencyKey == Self.idempotencyKey })

        try await expectNothingLost(executor: executor)
        try await Task.sleep(for: .seconds(1.5))
        #expect(try await network.anchoring().evidence().isEmpty)

        // Restarted over its data directory, the killed node follows the new executor and catches up.
        let port = try await network.restart(killed)
        let caughtUp = try await network.waitFor(port: port, seconds: 60) { $0["position"]?.integerValue == 3 }
        #expect(caughtUp["stateHash"]?.stringValue == hashes.first)
        #expect(hotel.bookingCount == 1)
        #expect(hotel.bookingRequests.count == hotelRequests)
        for child in network.children { #expect(try await child.terminate() == 0) }
    }

    /// Every pointer of `inbox/ticket-1` is ordered, the order log names each logged input once — the two
    /// statuses, then the one `rebookHotel` outcome, a success signed by the new `executor`.
    private func expectNothingLost(executor: Int) async throws {
        let log = RemoteAttestationLog(connection: try network.connection(as: 1))
        let order = try await log.entries(topic: "order/ticket-1", from: 1, limit: 100)
        let named = order.compactMap { entry -> (topic: String, id: String)? in
            guard let topic = entry.attestation.payload["topic"]?.stringValue,
                let id = entry.attestation.payload["id"]?.stringValue
            else { return nil }
            return (topic, id)
        }
        #expect(named.map(\.id).prefix(2) == ["lh2024-scheduled", "lh2024-delay-2"])
        #expect(named.count == 3)
        let inbox = try await log.entries(topic: "inbox/ticket-1", from: 1, limit: 100)
        let inboxIDs = Set(inbox.compactMap { $0.attestation.payload["id"]?.stringValue })
        #expect(inboxIDs.isSubset(of: Set(named.map(\.id))))

        let outcomes = try await log.entries(topic: "effect/rebookHotel", from: 1, limit: 100)
        #expect(outcomes.count == 1)
        let outcome = try #require(outcomes.first?.attestation)
        #expect(named.last?.id == outcome.id)
        #expect(outcome.type == "success")
        #expect(outcome.payload["idempotencyKey"]?.stringValue == Self.idempotencyKey)
        let key = try Ed25519AttestationSigner(seed: ProcessNetwork.seed(node: executor + 1)).issuer.key
        #expect(outcome.issuer.key == key)
    }
}
