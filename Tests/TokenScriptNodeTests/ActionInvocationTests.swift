import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TokenScriptAttestation
import TokenScriptCommands
import TokenScriptEngine
import TokenScriptJSON
import TokenScriptNode
import TokenScriptRuntime
import TokenScriptSQLite
import TokenScriptTesting

/// `POST /v1/instances/{id}/actions/{name}` in process, over a real store, real sandbox workers and real
/// signatures: the flight ticket's `choose-seat`, requested by its holder and by others.
@Suite("Invoking an instance's action for its holder")
struct ActionInvocationTests {
    /// The node's routes over a fresh store.
    let hosted: HostedApplication

    init() throws { hosted = try HostedApplication() }

    /// A request for `action` on `instance`, signed by `signer` (the holder unless told otherwise).
    static func request(
        id: String = "seat-1", instance: String = "ticket-1", action: String = "choose-seat",
        seat: String = "12A", by signer: Ed25519AttestationSigner = HostingFixture.holder,
        issuedAt: UInt64 = HostingFixture.now - 10, expiresAt: UInt64? = nil
    ) throws -> Attestation {
        try signer.sign(
            Attestation(
                id: id, topic: ActionInvocation.requestTopic(instance: instance), type: action, issuer: signer.issuer,
                issuedAt: issuedAt, expiresAt: expiresAt, payload: .object(["seat": .string(seat)])))
    }

    @Test("the holder's request is signed by the node, logged, ordered and applied; a retry is logged once")
    func holderInvokes() async throws {
        let request = try Self.request().json
        let host = hosted.host
        try await hosted.application.test(.router) { client in
            try await HostedApplication.create(client, "ticket-1")
            for attempt in 0..<2 {
                try await client.execute(
                    uri: "/v1/instances/ticket-1/actions/choose-seat", method: .post, body: ByteBuffer(string: request)
                ) { response in
                    #expect(response.status == .ok, "\(String(buffer: response.body))")
                    let body = try HostedApplication.object(response.body)
                    #expect(body["topic"]?.stringValue == "action/choose-seat")
                    #expect(body["position"]?.integerValue == 1)
                    #expect(body["alreadyLogged"]?.boolValue == (attempt == 1))
                    #expect(body["instances"]?.arrayValue?.map(\.stringValue) == ["ticket-1"])
                }
            }
        }
        try await HostingFixture.settle(host, "ticket-1", at: 1)
        let view = try #require(await hosted.host.view(of: "ticket-1"))
        #expect(view.position == 1)
        #expect(view.attributes["seat"] == .string("12A"))
        let logged = try #require(
            try await SQLiteAttestationLog(store: hosted.store).entry(topic: "action/choose-seat", position: 1))
        #expect(logged.attestation.issuer == HostingFixture.node.issuer, "signed by the node that accepted it")
        #expect(logged.attestation.payload["request"]?.stringValue == request, "the holder's consent, as sent")
    }

    @Test("requests not from the holder, for another instance or action, forged or expired change nothing")
    func refusals() async throws {
        let forged = try Self.request(id: "seat-forged").json.replacingOccurrences(of: "12A", with: "1A")
        let cases: [(path: String, body: String, status: HTTPResponse.Status, code: String, field: String?)] = [
            (
                "ticket-1/actions/choose-seat", try Self.request(id: "s2", by: HostingFixture.stranger).json,
                .forbidden, "not-holder", "issuer"
            ),
            (
                "ticket-1/actions/choose-seat", try Self.request(id: "s3", instance: "ticket-2").json, .badRequest,
                "invalid-field", "topic"
            ),
            (
                "ticket-1/actions/choose-seat", try Self.request(id: "s4", action: "upgrade").json, .badRequest,
                "invalid-field", "type"
            ),
            ("ticket-1/actions/choose-seat", forged, .unprocessableContent, "bad-signature", "signature"),
            (
                "ticket-1/actions/choose-seat",
                try Self.request(id: "s5", issuedAt: HostingFixture.now - 100, expiresAt: HostingFixture.now - 50)
                    .json, .unprocessableContent, "expired", "signature"
            ),
            (
                "ticket-1/actions/upgrade", try Self.request(id: "s6", action: "upgrade").json, .notFound,
                "unknown-action", "action"
            ),
            (
                "ticket-9/actions/choose-seat", try Self.request(id: "s7", instance: "ticket-9").json, .notFound,
                "unknown-instance", nil
            ),
            ("ticket-1/actions/choose-seat", "{\"id\": }", .badRequest, "malformed-json", "id"),
        ]
        try await hosted.application.test(.router) { client in
            try await HostedApplication.create(client, "ticket-1")
            for item in cases {
                try await client.execute(
                    uri: "/v1/instances/" + item.path, method: .post, body: ByteBuffer(string: item.body)
                ) { response in
                    #expect(response.status == item.status, "\(item.code): \(String(buffer: response.body))")
                    let error = try HostedApplication.object(response.body)["error"]
                    #expect(error?[JSONKey("code")]?.stringValue == item.code)
                    #expect(error?[JSONKey("field")]?.stringValue == item.field, "\(item.code)")
                }
            }
        }
        #expect(try await SQLiteAttestationLog(store: hosted.store).head(of: "action/choose-seat") == 0)
        #expect(try await SQLiteAttestationLog(store: hosted.store).head(of: "action/upgrade") == 0)
        #expect(await hosted.host.view(of: "ticket-1")?.position == 0)
    }

    @Test("an invocation that names another instance never fires, even when ordered into this one")
    func misaddressedInvocationIsUnmatched() async throws {
        let script = try #require(
            try NodeScripts.load([HostingFixture.scriptPath], nodeKey: HostingFixture.node.issuer.key).first)
        let machine = TokenStateMachine(definition: script.definition, runtime: HostingFixture.pool)
        let holder = try #require(GrantHolder(HostingFixture.holder.issuer.key))
        func invocation(for instance: String) throws -> Attestation {
            let request = try Self.request(id: "seat-\(instance)", instance: instance)
            let unsigned = try ActionInvocation.invocation(
                of: request, instance: instance, action: "choose-seat", holder: holder, now: HostingFixture.now
            ).get()
            return try HostingFixture.node.sign(unsigned)
        }
        var ticket = script.definition.newInstance(id: "ticket-1")
        ticket.attributes["flight"] = .string("LH2024")
        let foreign = try await machine.apply(
            try invocation(for: "ticket-2"), to: ticket, now: HostingFixture.now, history: SeenAttestations())
        #expect(foreign.disposition == .unmatched)
        #expect(foreign.instance.attributes["seat"] == nil)
        let own = try await machine.apply(
            try invocation(for: "ticket-1"), to: ticket, now: HostingFixture.now, history: SeenAttestations())
        #expect(own.disposition == .applied(trigger: "choose-seat"))
        #expect(own.instance.attributes["seat"] == .string("12A"))
    }
}
