import Foundation
import Testing
import TokenScriptJSON
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `tokenscript node --script` as a process: a flight ticket hosted over real HTTP, the node killed with
/// SIGKILL while its effect call is in flight, restarted over the same data directory.
@Suite("tokenscript node hosting, killed and restarted")
struct NodeRecoveryProcessTests {
    static func object(_ response: LoopbackResponse) throws -> [JSONKey: JSONValue] {
        try #require(try JSONValue(parsing: response.body).objectValue)
    }

    /// Polls the instance with a grant until `done` holds (at most 30 s).
    static func waitFor(
        port: Int, grant: String, _ done: ([JSONKey: JSONValue]) -> Bool
    ) async throws -> [JSONKey: JSONValue] {
        let deadline = Date().addingTimeInterval(30)
        while true {
            let response = try await LoopbackHTTP.request(
                "GET", port: port, path: "/v1/instances/ticket-1", headers: ["X-TokenScript-Grant": grant])
            let body = try object(response)
            if done(body) { return body }
            guard Date() < deadline else { throw ServerChildError("gave up waiting; last \(response.body)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test("kill -9 mid effect: the restarted node recovers the instance, its journal, the log and the pending call")
    func recoversAfterKill() async throws {
        try await Self.recoversAfterKill(store: nil)
    }

    /// With `store` (a `postgres://` URL), the node keeps its state there, and the restarted node is given a new,
    /// empty data directory: what it recovers can only have come from the database.
    static func recoversAfterKill(store: String?) async throws {
        let directory = try TemporaryDirectory()
        // The hotel holds the first call past the node's death, then books the repeat once.
        let hotel = try HotelAPIServer(script: [.delay(seconds: 20)])
        let script = directory.path + "/flight-ticket.xml"
        let text = try String(contentsOfFile: HostingFixture.scriptPath, encoding: .utf8)
            .replacingOccurrences(of: "https://hotels.example.org/api/v2", with: hotel.baseURL.absoluteString)
            .replacingOccurrences(of: "${env.hotelApi}/rebookings", with: "${env.hotelApi}/bookings")
        try Data(text.utf8).write(to: URL(fileURLWithPath: script))
        let key = directory.path + "/node.key"
        let made = try await Subprocess.run(
            TestPaths.executable("tokenscript"), ["keys", "new", "--scheme", "ed25519", "--out", key])
        #expect(made.status == 0)
        func arguments(data: String) -> [String] {
            [
                "node", "--listen", "127.0.0.1:0", "--data", directory.path + "/" + data, "--key", key, "--script",
                script, "--allow-egress", "127.0.0.1", "--allow-http",
            ] + (store.map { ["--store", $0] } ?? [])
        }
        let grant = try HostingFixture.grant("ticket-1", issuedAt: 1_700_000_000, expiresAt: 4_000_000_000)
        let statuses = try HostingFixture.statuses()

        let first = try ServerChild(arguments: arguments(data: "data"))
        var port = try await first.waitForReady()
        let created = try await LoopbackHTTP.request(
            "POST", port: port, path: "/v1/instances", body: HostingFixture.createBody(id: "ticket-1"))
        #expect(created.status == 201)
        for status in [statuses[0], statuses[2]] {
            #expect(
                try await LoopbackHTTP.request("POST", port: port, path: "/v1/attestations", body: status).status == 200
            )
        }
        let before = try await waitFor(port: port, grant: grant) { $0["position"]?.integerValue == 2 }
        let deadline = Date().addingTimeInterval(30)
        while hotel.bookingRequests.isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(hotel.bookingRequests.count == 1)
        try await first.killNow()

        let second = try ServerChild(arguments: arguments(data: store == nil ? "data" : "fresh-data"))
        port = try await second.waitForReady()
        let after = try await waitFor(port: port, grant: grant) { $0["state"]?.stringValue == "rebooked" }
        #expect(after["position"]?.integerValue == 3)
        #expect(after["stateHash"]?.stringValue != before["stateHash"]?.stringValue)
        #expect(hotel.bookingCount == 1)
        #expect(hotel.bookingRequests.count == 2)
        let keys = Set(hotel.bookingRequests.map(\.idempotencyKey))
        #expect(keys == ["rebook-LH2024-1790050000"])
        // The log kept its positions: the first status is logged already, at position 1.
        let again = try await LoopbackHTTP.request("POST", port: port, path: "/v1/attestations", body: statuses[0])
        #expect(again.body.contains("\"alreadyLogged\":true"))
        #expect(again.body.contains("\"position\":1"))
        #expect(try await second.terminate() == 0)
    }
}

extension NodeRecoveryProcessTests {
    /// The node's list: its `instances` ids and how many rest in the store.
    static func listing(port: Int) async throws -> (ids: [String], resting: Int64?) {
        let body = try object(try await LoopbackHTTP.request("GET", port: port, path: "/v1/instances"))
        let ids = body["instances"]?.arrayValue?.compactMap { $0[JSONKey("id")]?.stringValue } ?? []
        return (ids, body["resting"]?.integerValue)
    }

    @Test(
        """
        tokenscript node --dormant-after 1s puts a booked ticket to rest in its store; after kill -9 the restarted \
        node leaves it there, and a read over HTTP brings it back as it was
        """
    )
    func dormantAcrossRestart() async throws {
        try await Self.dormantAcrossRestart(store: nil)
    }

    /// With `store`, as `recoversAfterKill(store:)`: the restarted node has a new, empty data directory.
    static func dormantAcrossRestart(store: String?) async throws {
        let directory = try TemporaryDirectory()
        let key = directory.path + "/node.key"
        let made = try await Subprocess.run(
            TestPaths.executable("tokenscript"), ["keys", "new", "--scheme", "ed25519", "--out", key])
        #expect(made.status == 0)
        func arguments(data: String, dormantAfter: String) -> [String] {
            [
                "node", "--listen", "127.0.0.1:0", "--data", directory.path + "/" + data, "--key", key, "--script",
                HostingFixture.scriptPath, "--dormant-after", dormantAfter,
            ] + (store.map { ["--store", $0] } ?? [])
        }
        let first = try ServerChild(arguments: arguments(data: "data", dormantAfter: "1s"))
        var port = try await first.waitForReady()
        let created = try await LoopbackHTTP.request(
            "POST", port: port, path: "/v1/instances", body: HostingFixture.createBody(id: "ticket-1"))
        #expect(created.status == 201)
        let createdHash = try object(created)["stateHash"]?.stringValue
        let deadline = Date().addingTimeInterval(30)
        while try await listing(port: port).resting != 1 {
            guard Date() < deadline else { throw ServerChildError("the ticket never went to rest") }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await listing(port: port).ids.isEmpty)
        try await first.killNow()

        // Restarted with a longer span, so the ticket read back stays in memory while the test looks.
        let second = try ServerChild(
            arguments: arguments(data: store == nil ? "data" : "fresh-data", dormantAfter: "1h"))
        port = try await second.waitForReady()
        let listed = try await listing(port: port)
        #expect(listed.ids.isEmpty && listed.resting == 1, "\(listed)")
        let grant = try HostingFixture.grant("ticket-1", issuedAt: 1_700_000_000, expiresAt: 4_000_000_000)
        let read = try object(
            try await LoopbackHTTP.request(
                "GET", port: port, path: "/v1/instances/ticket-1", headers: ["X-TokenScript-Grant": grant]))
        #expect(read["state"]?.stringValue == "booked")
        #expect(read["stateHash"]?.stringValue == createdHash)
        #expect(try await listing(port: port).ids == ["ticket-1"])
        #expect(try await second.terminate() == 0)
    }
}
