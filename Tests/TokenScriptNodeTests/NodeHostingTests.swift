import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Testing
import TokenScriptCommands
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptJSON
import TokenScriptNode
import TokenScriptSQLite
import TokenScriptTesting
import TokenScriptHTTPServer

/// The hosting routes in process over a real SQLite store, real sandbox workers and real signatures.
@Suite("Hosting token instances through the node API")
struct NodeHostingTests {
    let directory: TemporaryDirectory
    let store: SQLiteStore
    let host: InstanceHost
    let application: Application<RouterResponder<BasicRequestContext>>

    init() throws {
        let hosted = try HostedApplication(positionWait: .milliseconds(300))
        (directory, store, host, application) = (hosted.directory, hosted.store, hosted.host, hosted.application)
    }

    static func object(_ buffer: ByteBuffer) throws -> [JSONKey: JSONValue] {
        try #require(try JSONValue(parsing: String(buffer: buffer)).objectValue)
    }

    @Test("a created flight ticket takes a signed flight status: the state changes, with stateHash and position")
    func createAndAttest() async throws {
        let statuses = try HostingFixture.statuses()
        let grant = try HostingFixture.grant("ticket-1")
        let host = host
        try await application.test(.router) { client in
            var initialHash = ""
            try await client.execute(
                uri: "/v1/instances", method: .post, body: ByteBuffer(string: HostingFixture.createBody(id: "ticket-1"))
            ) { response in
                #expect(response.status == .created)
                let body = try Self.object(response.body)
                #expect(body["state"]?.stringValue == "booked")
                #expect(body["position"]?.integerValue == 0)
                #expect(body["scriptHash"]?.stringValue?.count == 64)
                initialHash = try #require(body["stateHash"]?.stringValue)
            }
            try await client.execute(uri: "/v1/attestations", method: .post, body: ByteBuffer(string: statuses[0])) {
                response in
                #expect(response.status == .ok)
                #expect(
                    String(buffer: response.body)
                        == "{\"alreadyLogged\":false,\"instances\":[\"ticket-1\"],\"position\":1,"
                        + "\"status\":\"ok\",\"topic\":\"flight-status/LH2024\"}")
            }
            try await client.execute(uri: "/v1/attestations", method: .post, body: ByteBuffer(string: statuses[1])) {
                #expect($0.status == .ok)
            }
            try await HostingFixture.settle(host, "ticket-1", at: 2)
            try await client.execute(
                uri: "/v1/instances/ticket-1?atLeast=2", method: .get, headers: [.init("X-TokenScript-Grant")!: grant]
            ) { response in
                #expect(response.status == .ok)
                let body = try Self.object(response.body)
                #expect(body["position"]?.integerValue == 2)
                #expect(body["state"]?.stringValue != "booked")
                #expect(body["attributes"]?[JSONKey("delayMinutes")]?.integerValue == 40)
                #expect(body["stateHash"]?.stringValue != initialHash)
                #expect(body["scriptHash"]?.stringValue?.count == 64)
            }
            // The same attestation again appends and orders nothing.
            try await client.execute(uri: "/v1/attestations", method: .post, body: ByteBuffer(string: statuses[1])) {
                response in
                #expect(String(buffer: response.body).contains("\"alreadyLogged\":true,\"instances\":[\"ticket-1\"]"))
            }
            try await client.execute(
                uri: "/v1/instances/ticket-1/interfaces/flightStatus", method: .post,
                headers: [
                    .init("X-TokenScript-Grant")!: try HostingFixture.grant("ticket-1", interfaces: ["flightStatus"])
                ],
                body: ByteBuffer(string: "{\"arguments\":{}}")
            ) { response in
                #expect(response.status == .ok)
                let body = try Self.object(response.body)
                #expect(body["result"] != nil)
                #expect(body["position"]?.integerValue == 2)
            }
            try await client.execute(uri: "/v1/instances", method: .get) { response in
                let body = String(buffer: response.body)
                #expect(body.contains("{\"id\":\"ticket-1\",\"position\":2,\"script\":\"flight-ticket\""))
                #expect(!body.contains("attributes"))
            }
            try await client.execute(uri: "/v1/scripts", method: .get) { response in
                #expect(String(buffer: response.body).contains("\"interfaces\":[\"flightStatus\""))
            }
        }
        let head = try await SQLiteAttestationLog(store: store).head(of: "order/ticket-1")
        #expect(head == 2)
        let position = await host.view(of: "ticket-1")?.position
        #expect(position == 2)
    }

    @Test("reads without a grant, with a forged, expired or foreign grant, or for another interface answer 403")
    func grantsAreChecked() async throws {
        let cases: [(String?, String)] = [
            (nil, "missing"),
            (try HostingFixture.grant("ticket-1", by: HostingFixture.stranger), "wrong-holder"),
            (
                try HostingFixture.grant(
                    "ticket-1", issuedAt: HostingFixture.now - 7200, expiresAt: HostingFixture.now - 3600),
                "expired"
            ),
            (try HostingFixture.grant("ticket-2"), "wrong-instance"),
            (try HostingFixture.grant("ticket-1", interfaces: ["flightStatus"]), "interface-not-granted"),
            (
                try HostingFixture.grant("ticket-1").replacingOccurrences(
                    of: "\"grantee\":\"car-rental.example\"", with: "\"grantee\":\"car-rental.exampld\""),
                "bad-signature"
            ),
        ]
        try await application.test(.router) { client in
            try await client.execute(
                uri: "/v1/instances", method: .post, body: ByteBuffer(string: HostingFixture.createBody(id: "ticket-1"))
            ) { #expect($0.status == .created) }
            for (grant, code) in cases {
                try await client.execute(
                    uri: "/v1/instances/ticket-1", method: .get,
                    headers: grant.map { [.init("X-TokenScript-Grant")!: $0] } ?? [:]
                ) { response in
                    #expect(response.status == .forbidden, "\(code)")
                    let error = try Self.object(response.body)["error"]
                    #expect(error?[JSONKey("code")]?.stringValue == code)
                }
            }
        }
    }

    @Test("malformed, oversize and invalid requests and unknown instances are refused and change nothing")
    func refusalsChangeNothing() async throws {
        let statuses = try HostingFixture.statuses()
        let log = SQLiteAttestationLog(store: store)
        try await application.test(.router) { client in
            try await client.execute(
                uri: "/v1/instances", method: .post, body: ByteBuffer(string: HostingFixture.createBody(id: "ticket-1"))
            ) { #expect($0.status == .created) }
            try await client.execute(uri: "/v1/attestations", method: .post, body: ByteBuffer(string: statuses[0])) {
                #expect($0.status == .ok)
            }
        }
        try await HostingFixture.settle(host, "ticket-1", at: 1)
        _ = try await host.read("ticket-1", grant: try HostingFixture.grant("ticket-1"), grantee: nil, atLeast: 1)
        let before = try #require(await host.view(of: "ticket-1"))
        try await application.test(.router) { client in
            let malformed = "{\"id\": \"x\",\n \"topic\": }"
            try await client.execute(uri: "/v1/attestations", method: .post, body: ByteBuffer(string: malformed)) {
                response in
                #expect(response.status == .badRequest)
                let error = try Self.object(response.body)["error"]
                #expect(error?[JSONKey("code")]?.stringValue == "malformed-json")
                #expect(error?[JSONKey("message")]?.stringValue?.hasPrefix("line 2, column") == true)
            }
            try await client.execute(
                uri: "/v1/attestations", method: .post,
                body: ByteBuffer(string: "{\"pad\":\"" + String(repeating: "x", count: 1 << 21) + "\"}")
            ) { #expect($0.status == .contentTooLarge) }
            let forged = statuses[2].replacingOccurrences(of: "\"delayMinutes\":400", with: "\"delayMinutes\":401")
            try await client.execute(uri: "/v1/attestations", method: .post, body: ByteBuffer(string: forged)) {
                response in
                #expect(response.status == .unprocessableContent)
            }
            let missingTopic = statuses[2].replacingOccurrences(of: "\"topic\":\"flight-status/LH2024\",", with: "")
            try await client.execute(uri: "/v1/attestations", method: .post, body: ByteBuffer(string: missingTopic)) {
                response in
                #expect(response.status == .badRequest)
                let detail = try Self.object(response.body)["error"]
                #expect(detail?[JSONKey("field")]?.stringValue == "topic")
            }
            try await client.execute(
                uri: "/v1/instances", method: .post,
                body: ByteBuffer(string: "{\"script\":\"flight-ticket\",\"attributes\":{\"nope\":1},\"holder\":\"0x\"}")
            ) { response in
                #expect(response.status == .badRequest)
                let detail = try Self.object(response.body)["error"]
                #expect(detail?[JSONKey("field")]?.stringValue == "holder")
            }
            try await client.execute(
                uri: "/v1/instances", method: .post,
                body: ByteBuffer(
                    string: HostingFixture.createBody(id: "ticket-2").replacingOccurrences(
                        of: "\"flight\"", with: "\"nope\""))
            ) { response in
                #expect(response.status == .badRequest)
                let detail = try Self.object(response.body)["error"]
                #expect(detail?[JSONKey("field")]?.stringValue == "attributes.nope")
            }
            try await client.execute(
                uri: "/v1/instances", method: .post, body: ByteBuffer(string: HostingFixture.createBody(id: "ticket-1"))
            ) { #expect($0.status == .conflict) }
            try await client.execute(
                uri: "/v1/instances/nope", method: .get,
                headers: [.init("X-TokenScript-Grant")!: try HostingFixture.grant("nope")]
            ) { response in
                #expect(response.status == .notFound)
                let detail = try Self.object(response.body)["error"]
                #expect(detail?[JSONKey("code")]?.stringValue == "unknown-instance")
            }
            try await client.execute(
                uri: "/v1/instances/ticket-1?atLeast=5", method: .get,
                headers: [.init("X-TokenScript-Grant")!: try HostingFixture.grant("ticket-1")]
            ) { response in
                #expect(response.status == .conflict)
                let detail = try Self.object(response.body)["error"]
                #expect(detail?[JSONKey("position")]?.integerValue == 1)
            }
        }
        #expect(try await log.head(of: "flight-status/LH2024") == 1)
        #expect(try await log.head(of: "order/ticket-1") == 1)
        #expect(await host.view(of: "ticket-1") == before)
        #expect(await host.view(of: "ticket-2") == nil)
        #expect(try await SQLiteInstanceStore(store: store).summaries().map(\.id) == ["ticket-1"])
    }
}
