import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptClusterConformance

/// Node requests are signed; the anchor answers an unsigned, forged, stale or unknown one with 401 and
/// changes nothing.
@Suite("The anchor authenticates node requests")
struct AnchorAuthenticationTests {
    static let nonce = [UInt8](repeating: 7, count: 16)

    static let append = AnchorMessages.Append(
        attestation: WireAttestation(AttestationLogConformance.attestation("a-1", topic: "t")), fence: nil)

    static func body(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value))
    }

    /// POSTs `body` to `/v1/log` with exactly `headers`; the status and body of the answer.
    static func post(_ fixture: AnchorFixture, body: [UInt8], headers: [(String, String)]) async throws
        -> (status: UInt, body: String)
    {
        var request = HTTPClientRequest(url: fixture.url + "/v1/log")
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let answer = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, String(buffer: answer))
    }

    @Test("unsigned, forged, tampered, stale and unknown requests are refused 401 and append nothing")
    func refusals() async throws {
        try await AnchorFixture.with { fixture in
            try await fixture.join("node-a")
            let body = try Self.body(Self.append)
            let now = fixture.clock.unixSeconds()
            let good = try fixture.signer("node-a").headers(
                method: "POST", target: "/v1/log", body: body, date: now, nonce: Self.nonce)
            let forger = try NodeRequestSigner(
                name: "node-a", signer: Ed25519AttestationSigner(seed: AnchorFixture.seed("mallory")))
            let forged = try forger.headers(method: "POST", target: "/v1/log", body: body, date: now, nonce: Self.nonce)
            let stale = try fixture.signer("node-a").headers(
                method: "POST", target: "/v1/log", body: body, date: now - 61, nonce: Self.nonce)
            let stranger = try fixture.signer("node-z").headers(
                method: "POST", target: "/v1/log", body: body, date: now, nonce: Self.nonce)
            let tampered = try Self.body(
                AnchorMessages.Append(
                    attestation: WireAttestation(AttestationLogConformance.attestation("a-2", topic: "t")), fence: nil))
            let cases: [(String, [UInt8], [(String, String)], String)] = [
                ("unsigned", body, [], "missing-header"),
                ("forged with another key", body, forged.fields.map { ($0.name, $0.value) }, "bad-signature"),
                ("signed for another body", tampered, good.fields.map { ($0.name, $0.value) }, "bad-signature"),
                ("dated 61 s ago", body, stale.fields.map { ($0.name, $0.value) }, "stale-date"),
                ("by an unregistered node", body, stranger.fields.map { ($0.name, $0.value) }, "unknown-node"),
            ]
            for (name, sent, headers, code) in cases {
                let answer = try await Self.post(fixture, body: sent, headers: headers)
                #expect(answer.status == 401, "\(name): \(answer.body)")
                #expect(answer.body.contains("\"code\":\"\(code)\""), "\(name): \(answer.body)")
            }
            #expect(try await fixture.anchor.log.head(of: "t") == 0)
            let accepted = try await Self.post(fixture, body: body, headers: good.fields.map { ($0.name, $0.value) })
            #expect(accepted.status == 201, "\(accepted.body)")
            #expect(try await fixture.anchor.log.head(of: "t") == 1)
            // The same signed request again (captured and resent within the skew) is a replay.
            let replayed = try await Self.post(fixture, body: body, headers: good.fields.map { ($0.name, $0.value) })
            #expect(replayed.status == 401, "\(replayed.body)")
            #expect(replayed.body.contains("\"code\":\"replayed\""), "\(replayed.body)")
            // Signed by node-a, presented as node-b (registered too): the name is part of what is signed.
            try await fixture.join("node-b")
            var renamed = good
            renamed.node = "node-b"
            renamed.nonce = String(repeating: "8", count: 32)
            let misnamed = try await Self.post(
                fixture, body: body, headers: renamed.fields.map { ($0.name, $0.value) })
            #expect(misnamed.status == 401, "\(misnamed.body)")
            #expect(misnamed.body.contains("\"code\":\"bad-signature\""), "\(misnamed.body)")
            #expect(try await fixture.anchor.log.head(of: "t") == 1)
        }
    }

    @Test("a registration must be signed by the key it registers, and a name keeps its key")
    func registration() async throws {
        try await AnchorFixture.with { fixture in
            let mallory = TestNode(
                connection: AnchorConnection(
                    anchorURL: fixture.url,
                    signer: NodeRequestSigner(
                        name: "node-a", signer: try Ed25519AttestationSigner(seed: AnchorFixture.seed("mallory"))),
                    now: { fixture.clock.unixSeconds() }))
            try await fixture.join("node-a")
            let error = await #expect(throws: AnchorClientError.self) {
                try await mallory.placement.register(capacity: 1)
            }
            #expect(error?.status == 409)
            #expect(error?.code == "name-taken")
            let members = try await TestNode(connection: try fixture.connection("node-a")).placement.members()
            #expect(members.map(\.key) == [try fixture.signer("node-a").issuer.key])
        }
    }

    @Test("with members set, an unknown name or a member's name with another key is refused 403 and joins nothing")
    func membersOnly() async throws {
        try await AnchorFixture.with(members: ["node-a", "node-b"]) { fixture in
            try await fixture.join("node-a")
            for (name, seed) in [("node-z", "node-z"), ("node-b", "mallory")] {
                let stranger = TestNode(
                    connection: AnchorConnection(
                        anchorURL: fixture.url,
                        signer: NodeRequestSigner(
                            name: name, signer: try Ed25519AttestationSigner(seed: AnchorFixture.seed(seed))),
                        now: { fixture.clock.unixSeconds() }))
                let error = await #expect(throws: AnchorClientError.self) {
                    try await stranger.placement.register(capacity: 1)
                }
                #expect(error?.status == 403)
                #expect(error?.code == "not-a-member")
                #expect(error?.field == "name")
            }
            let members = try await TestNode(connection: try fixture.connection("node-a")).placement.members()
            #expect(members.map(\.name) == ["node-a"])
            // The member with its own key still joins.
            try await fixture.join("node-b")
            let after = try await TestNode(connection: try fixture.connection("node-a")).placement.members()
            #expect(after.map(\.name) == ["node-a", "node-b"])
        }
    }

    @Test("a malformed body is refused 400 naming the field, an oversize one 413, and nothing is appended")
    func malformedBodies() async throws {
        try await AnchorFixture.with { fixture in
            try await fixture.join("node-a")
            let now = fixture.clock.unixSeconds()
            let signer = try fixture.signer("node-a")
            for (body, status, field) in [
                (Array("{\"fence\": null}".utf8), UInt(400), "attestation"),
                (Array("{\"attestation\": {\"id\": \"x\"}}".utf8), UInt(422), "topic"),
                (Array("not json".utf8), UInt(400), "body"),
                ([UInt8](repeating: 0x20, count: (1 << 20) + 1), UInt(413), ""),
            ] {
                let headers = try signer.headers(
                    method: "POST", target: "/v1/log", body: body, date: now, nonce: Self.nonce)
                let answer = try await Self.post(
                    fixture, body: body, headers: headers.fields.map { ($0.name, $0.value) })
                #expect(answer.status == status, "\(answer.body)")
                if !field.isEmpty { #expect(answer.body.contains("\"field\":\"\(field)\""), "\(answer.body)") }
            }
            #expect(try await fixture.anchor.log.head(of: "t") == 0)
        }
    }
}
