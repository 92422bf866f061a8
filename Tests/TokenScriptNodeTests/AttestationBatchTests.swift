import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Testing
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptJSON
import TokenScriptNode
import TokenScriptSQLite
import TokenScriptTesting
import TokenScriptHTTPServer

/// `POST /v1/attestations` with an array body, in process over a real SQLite store, real sandbox workers and
/// real signatures: verified as a whole before anything is logged, then logged and ordered together.
@Suite("Submitting attestations in a batch")
struct AttestationBatchTests {
    /// The node's routes over a fresh store.
    let hosted: HostedApplication

    init() throws { hosted = try HostedApplication() }

    static let topic = "flight-status/LH2024"

    static func batch(_ items: [String]) -> ByteBuffer { ByteBuffer(string: "[" + items.joined(separator: ",") + "]") }

    @Test("a batch is logged in order, answered per element, and applied like the same attestations one by one")
    func batchMatchesSingles() async throws {
        // The first two: the third (a long delay) asks for a rebooking, whose refused call adds a step later.
        let statuses = Array(try HostingFixture.statuses().prefix(2))
        let host = hosted.host
        try await hosted.application.test(.router) { client in
            try await HostedApplication.create(client, "ticket-1")
            try await client.execute(uri: "/v1/attestations", method: .post, body: Self.batch(statuses)) { response in
                #expect(response.status == .ok)
                let body = try HostedApplication.object(response.body)
                #expect(body["errors"]?.boolValue == false)
                let answers = try #require(body["attestations"]?.arrayValue)
                #expect(answers.count == statuses.count)
                for (index, answer) in answers.enumerated() {
                    #expect(answer[JSONKey("status")]?.stringValue == "ok")
                    #expect(answer[JSONKey("position")]?.integerValue == Int64(index + 1))
                    #expect(answer[JSONKey("alreadyLogged")]?.boolValue == false)
                    #expect(answer[JSONKey("instances")]?.arrayValue?.first?.stringValue == "ticket-1")
                }
            }
            try await HostingFixture.settle(host, "ticket-1", at: UInt64(statuses.count))
            // The same batch again: every element is logged already, nothing is appended or ordered twice.
            try await client.execute(uri: "/v1/attestations", method: .post, body: Self.batch(statuses)) { response in
                #expect(response.status == .ok)
                let answers = try #require(try HostedApplication.object(response.body)["attestations"]?.arrayValue)
                #expect(answers.allSatisfy { $0[JSONKey("alreadyLogged")]?.boolValue == true })
            }
            try await HostedApplication.create(client, "ticket-2")
            for status in statuses {
                try await client.execute(uri: "/v1/attestations", method: .post, body: ByteBuffer(string: status)) {
                    #expect($0.status == .ok)
                }
            }
        }
        try await HostingFixture.settle(host, "ticket-2", at: UInt64(statuses.count))
        let batched = try #require(await hosted.host.view(of: "ticket-1"))
        let single = try #require(await hosted.host.view(of: "ticket-2"))
        #expect(batched.position == UInt64(statuses.count))
        #expect(batched.state == single.state)
        #expect(batched.attributes == single.attributes)
        #expect(try await SQLiteAttestationLog(store: hosted.store).head(of: Self.topic) == UInt64(statuses.count))
    }

    @Test("one forged or malformed element refuses the whole batch, naming it, and nothing is logged")
    func refusedBatchChangesNothing() async throws {
        let statuses = try HostingFixture.statuses()
        let forged = statuses[2].replacingOccurrences(of: "\"delayMinutes\":400", with: "\"delayMinutes\":401")
        let missingTopic = statuses[2].replacingOccurrences(of: "\"topic\":\"flight-status/LH2024\",", with: "")
        let log = SQLiteAttestationLog(store: hosted.store)
        try await hosted.application.test(.router) { client in
            try await HostedApplication.create(client, "ticket-1")
            let refusals: [(body: ByteBuffer, status: HTTPResponse.Status, code: String?, field: String?)] = [
                (Self.batch([statuses[0], forged]), .unprocessableContent, nil, "[1]"),
                (Self.batch([statuses[0], statuses[1], missingTopic]), .badRequest, "invalid-field", "[2].topic"),
                (ByteBuffer(string: "[]"), .badRequest, "invalid-field", nil),
                (ByteBuffer(string: "[1]"), .badRequest, "invalid-field", "[0]"),
                (
                    ByteBuffer(
                        string: "["
                            + Array(repeating: "{}", count: AttestationBatch.maximumCount + 1)
                            .joined(separator: ",") + "]"), .badRequest, "invalid-field", nil
                ),
                (ByteBuffer(string: "[\n" + statuses[0] + ",\n {\"id\": }]"), .badRequest, "malformed-json", "[1].id"),
            ]
            for refusal in refusals {
                try await client.execute(uri: "/v1/attestations", method: .post, body: refusal.body) { response in
                    #expect(response.status == refusal.status, "\(refusal.field ?? "")")
                    let error = try HostedApplication.object(response.body)["error"]
                    if let code = refusal.code { #expect(error?[JSONKey("code")]?.stringValue == code) }
                    #expect(error?[JSONKey("field")]?.stringValue == refusal.field)
                }
            }
        }
        #expect(try await log.head(of: Self.topic) == 0)
        #expect(await hosted.host.view(of: "ticket-1")?.position == 0)
    }

    @Test("an element whose id was logged with other content gets its own 409; the others are logged")
    func conflictingElementAnsweredAlone() async throws {
        let statuses = try HostingFixture.statuses()
        var respelled = try Attestation(json: statuses[1])
        respelled.payload = .object([JSONKey("delayMinutes"): .integer(41)])
        let conflicting = try TestKeys.airline.sign(respelled, scheme: .eip191).json
        let host = hosted.host
        try await hosted.application.test(.router) { client in
            try await HostedApplication.create(client, "ticket-1")
            try await client.execute(uri: "/v1/attestations", method: .post, body: ByteBuffer(string: statuses[1])) {
                #expect($0.status == .ok)
            }
            try await client.execute(
                uri: "/v1/attestations", method: .post, body: Self.batch([statuses[0], conflicting, statuses[2]])
            ) { response in
                #expect(response.status == .ok)
                let body = try HostedApplication.object(response.body)
                #expect(body["errors"]?.boolValue == true)
                let answers = try #require(body["attestations"]?.arrayValue)
                #expect(answers.map { $0[JSONKey("status")]?.stringValue } == ["ok", "error", "ok"])
                #expect(answers[1][JSONKey("httpStatus")]?.integerValue == 409)
                #expect(answers[1][JSONKey("error")]?[JSONKey("code")]?.stringValue == "conflicting-attestation")
            }
        }
        try await HostingFixture.settle(host, "ticket-1", at: 3)
        #expect(try await SQLiteAttestationLog(store: hosted.store).head(of: Self.topic) == 3)
    }
}
