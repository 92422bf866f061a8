import Testing
import TokenScriptAttestation

/// The node request signature on its own: what it binds (method, target, date, body) and the skew it allows.
@Suite("Node request signatures")
struct NodeRequestSigningTests {
    let signer: NodeRequestSigner

    init() throws {
        signer = NodeRequestSigner(
            name: "node-a", signer: try Ed25519AttestationSigner(seed: AnchorFixture.seed("node-a")))
    }
    static let body = Array("{\"x\":1}".utf8)

    func verify(
        _ headers: NodeRequestHeaders, method: String = "POST", target: String = "/v1/log", body: [UInt8] = Self.body,
        now: UInt64 = 1_000
    ) -> Result<String, NodeRequestRefusal> {
        let fields = Dictionary(uniqueKeysWithValues: headers.fields.map { ($0.name.lowercased(), $0.value) })
        do throws(NodeRequestRefusal) {
            return .success(
                try NodeRequestVerifier().verify(
                    method: method, target: target, body: body, now: now, header: { fields[$0.lowercased()] },
                    key: { $0 == "node-a" ? signer.issuer : nil }))
        } catch {
            return .failure(error)
        }
    }

    @Test("a signed request verifies as its node; changing method, target or body breaks it")
    func bindsTheRequest() throws {
        let headers = try signer.headers(
            method: "POST", target: "/v1/log", body: Self.body, date: 1_000, nonce: Array(repeating: 7, count: 16))
        #expect(try verify(headers).get() == "node-a")
        #expect(verify(headers, method: "PUT") == .failure(.badSignature(node: "node-a")))
        #expect(verify(headers, target: "/v1/log?from=2") == .failure(.badSignature(node: "node-a")))
        #expect(verify(headers, body: Array("{\"x\":2}".utf8)) == .failure(.badSignature(node: "node-a")))
    }

    @Test("60 seconds of skew either way pass, 61 do not")
    func skew() throws {
        let headers = try signer.headers(
            method: "POST", target: "/v1/log", body: Self.body, date: 1_000, nonce: Array(repeating: 7, count: 16))
        #expect(try verify(headers, now: 1_060).get() == "node-a")
        #expect(try verify(headers, now: 940).get() == "node-a")
        #expect(verify(headers, now: 1_061) == .failure(.outsideSkew(date: 1_000, now: 1_061)))
        #expect(verify(headers, now: 939) == .failure(.outsideSkew(date: 1_000, now: 939)))
    }

    @Test("missing or malformed headers and unknown nodes are refused naming the header")
    func badHeaders() throws {
        var headers = try signer.headers(
            method: "POST", target: "/v1/log", body: Self.body, date: 1_000, nonce: Array(repeating: 7, count: 16))
        headers.signature = "0x1234"
        #expect(verify(headers) == .failure(.malformedHeader(NodeRequestSignature.signatureHeader)))
        headers = try signer.headers(
            method: "POST", target: "/v1/log", body: Self.body, date: 1_000, nonce: Array(repeating: 7, count: 16))
        headers.node = "node-b"
        #expect(verify(headers) == .failure(.unknownNode("node-b")))
        let refusal = NodeRequestRefusal.missingHeader(NodeRequestSignature.dateHeader)
        #expect(refusal.code == "missing-header")
        #expect(refusal.field == "X-TokenScript-Date")
    }
}
