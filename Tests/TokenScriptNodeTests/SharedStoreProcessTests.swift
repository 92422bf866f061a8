import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// Many machines, as processes on one: two `tokenscript anchor --store postgres://…` sharing one PostgreSQL, three
/// `tokenscript node` given both anchors. The executor killed mid-effect, an anchoring node killed, PostgreSQL
/// restarted under the running network.
@Suite("nodes and two anchors sharing one PostgreSQL", .serialized)
struct SharedStoreProcessTests {
    @Test("the executor killed during the hotel call (SIGKILL): a new executor books, the hotel once, nothing lost")
    func executorKilledMidEffect() async throws {
        // The hotel holds the first call until its caller hangs up (the kill), booking nothing for it.
        let hotel = try HotelAPIServer(script: [.delay(seconds: 60)])
        let run = try await EffectKillRun.start(
            hotel: hotel, crashPoint: nil, anchors: 2, store: try await ThrowawayPostgres.freshStoreURL(connections: 8))
        defer { run.network.stopAll() }
        try await run.requestEffect()
        let deadline = Date().addingTimeInterval(30)
        while hotel.bookingRequests.isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(hotel.bookingRequests.count == 1)
        let executor = try #require(try await run.network.election().record(of: "ticket-1")?.holder)
        let killed = try #require(run.network.names.firstIndex(of: executor))
        try await run.network.nodes[killed].killNow()
        #expect(hotel.bookingCount == 0)
        try await run.expectCompleted(afterKilling: killed, hotelRequests: 2)
    }

    @Test("one anchoring node killed (SIGKILL): the nodes fail over, the other anchor logs and elects a new executor")
    func anchorKilled() async throws {
        let network = try await ProcessNetwork.start(
            nodes: 3, anchorArguments: ["--node-timeout", "2", "--lease-term", "6"], anchors: 2,
            store: try await ThrowawayPostgres.freshStoreURL(connections: 8))
        defer { network.stopAll() }
        try await network.createTicket(on: 0)
        try await network.postStatus(0, to: 1)
        _ = try await network.views(at: 1, on: [0, 1, 2])
        let first = try #require(try await network.election().record(of: "ticket-1"))
        let executor = try #require(first.holder.flatMap { network.names.firstIndex(of: $0) })

        try await network.anchor.killNow()
        try await network.nodes[executor].killNow()
        let survivors = [0, 1, 2].filter { $0 != executor }
        // The next input is ordered only by an executor, which only the remaining anchor can elect now.
        try await network.postStatus(1, to: survivors[0])
        let views = try await network.views(at: 2, on: survivors, seconds: 60)
        #expect(Set(views.map { $0["stateHash"]?.stringValue ?? "" }).count == 1)
        let second = try #require(try await network.election().record(of: "ticket-1"))
        #expect(second.lease.epoch > first.lease.epoch)
        #expect(second.holder != first.holder)
        #expect(second.holder.flatMap { network.names.firstIndex(of: $0) }.map(survivors.contains) == true)
        for child in network.children where child.isRunning { #expect(try await child.terminate() == 0) }
    }

    @Test(
        """
        PostgreSQL restarted mid-run (stopped by its PID, started again): anchors and nodes reconnect, the \
        rebooking completes, each input is ordered once and the hotel books once
        """
    )
    func databaseRestarted() async throws {
        try await DedicatedPostgres.with { server in
            let hotel = try HotelAPIServer()
            let run = try await EffectKillRun.start(hotel: hotel, crashPoint: nil, anchors: 2, store: server.url)
            defer { run.network.stopAll() }
            try await run.network.createTicket(on: 2)
            try await run.network.postStatus(0, to: 0)
            _ = try await run.network.views(at: 1, on: [0, 1, 2])

            try await server.pause()
            // Posted while the database is down: the anchor's append waits and retries within its deadline; the
            // node's answer may be an error, in which case the airline posts again once the database is back.
            let delay = try HostingFixture.statuses()[2]
            let port = run.network.nodePorts[1]
            let during = Task { [port, delay] in
                try await LoopbackHTTP.request("POST", port: port, path: "/v1/attestations", body: delay)
            }
            try await Task.sleep(for: .seconds(3))
            try await server.resume()
            let answer = try await during.value
            if answer.status != 200 {
                let again = try await LoopbackHTTP.request(
                    "POST", port: port, path: "/v1/attestations", body: delay)
                #expect(again.status == 200, "\(again.body)")
            }
            var hashes: Set<String> = []
            for port in run.network.nodePorts {
                let view = try await run.network.waitFor(port: port, seconds: 90) {
                    $0["state"]?.stringValue == "rebooked"
                }
                #expect(view["position"]?.integerValue == 3)
                hashes.insert(view["stateHash"]?.stringValue ?? "")
            }
            #expect(hashes.count == 1)
            #expect(hotel.bookingCount == 1)
            #expect(hotel.bookingRequests.allSatisfy { $0.idempotencyKey == EffectKillRun.idempotencyKey })
            let log = RemoteAttestationLog(connection: try run.network.connection(as: 1))
            let order = try await log.entries(topic: "order/ticket-1", from: 1, limit: 100)
            let ids = order.compactMap { $0.attestation.payload["id"]?.stringValue }
            #expect(ids.count == 3 && Set(ids).count == 3, "each input ordered once: \(ids)")
            #expect(try await log.entries(topic: "effect/rebookHotel", from: 1, limit: 100).count == 1)
            for child in run.network.children { #expect(child.isRunning, "a child died in the outage") }
            for child in run.network.children { #expect(try await child.terminate() == 0) }
        }
    }
}
