import Foundation
import Hummingbird
import NIOCore
import Prometheus
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptHTTPServer

/// The anchor's HTTP routes over an `Anchor`. Built apart from the server so a test can serve them in
/// process. Every `/v1` request is signed by a node (`NodeRequestSignature`); an unsigned, forged, stale or
/// unknown one is answered 401 before anything is read or changed.
public enum AnchorRouter {
    /// Exact paths → methods, for the 405 answer.
    static let exactRoutes: [String: [HTTPRequest.Method]] = [
        "/": [.get], "/health": [.get], "/ready": [.get], "/metrics": [.get], "/v1/nodes": [.get, .post],
        "/v1/log": [.post],
        "/v1/route": [.post], "/v1/routings": [.get], "/v1/state-hashes": [.post], "/v1/evidence": [.get],
        "/v1/topics": [.get], "/v1/service-levels": [.get], "/v1/served-calls": [.post],
    ]

    /// Route patterns, for the metrics' route label.
    static let patterns: Set<String> = Set(exactRoutes.keys).union([
        "/v1/nodes/{name}", "/v1/nodes/{name}/heartbeat", "/v1/placement/{instance}",
        "/v1/placement/{instance}/pins", "/v1/elections/{instance}", "/v1/leases/{instance}",
        "/v1/leases/{instance}/renew", "/v1/leases/{instance}/release", "/v1/log/{topic}", "/v1/log/{topic}/head",
        "/v1/log/{topic}/stream",
    ])

    struct Health: Encodable {
        var status = "ok"
        var name: String
        var role = "anchor"
        var anchorKey: String
    }

    struct Readiness: Encodable {
        var status: String
    }

    public static func router(
        anchor: Anchor, name: String, readiness: ServiceReadiness, registry: PrometheusCollectorRegistry
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(
            middleware: HTTPRouteMetricsMiddleware(
                factory: PrometheusMetricsFactory(registry: registry), knownRoutes: patterns))
        router.add(middleware: HTTPErrorMiddleware(routes: exactRoutes, translate: AnchorRefusals.translate))
        router.get("/health") { _, _ in HTTPJSON.json(Health(name: name, anchorKey: anchor.signer.issuer.key)) }
        router.get("/ready") { _, _ in
            readiness.isReady
                ? HTTPJSON.json(Readiness(status: "ready"))
                : HTTPJSON.json(Readiness(status: "not ready"), status: .serviceUnavailable)
        }
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: ResponseBody(
                    byteBuffer: ByteBuffer(string: AnchorStatusPage.html(try await anchor.status(name: name)))))
        }
        let serviceLevels = ServiceLevelMetrics(anchor: anchor, registry: registry)
        router.get("/metrics") { _, _ in
            serviceLevels.update()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        let routes = AnchorRoutes(anchor: anchor)
        routes.addMembership(to: router)
        routes.addElection(to: router)
        routes.addLog(to: router)
        routes.addRouting(to: router)
        return router
    }
}

/// What every `/v1` route shares: authentication, body decoding, parameters.
struct AnchorRoutes: Sendable {
    let anchor: Anchor

    /// A verified request: the node that signed it and the body it signed.
    struct Signed {
        var node: String
        var body: [UInt8]
    }

    /// Reads the body (413 over 1 MiB) and verifies the node's signature (401).
    func signed(_ request: Request) async throws -> Signed {
        try verify(request, body: try await HTTPRefusal.body(of: request))
    }

    /// Verifies the signature over `body`, already read; with `key`, against that key (a registration).
    func verify(_ request: Request, body: [UInt8], registering key: Issuer? = nil) throws -> Signed {
        let node = try anchor.authenticate(
            method: request.method.rawValue, target: request.uri.string, body: body,
            header: { name in
                let lowered = name.lowercased()
                return request.headers.first { $0.name.canonicalName == lowered }?.value
            }, registering: key)
        return Signed(node: node, body: body)
    }

    /// The body as `type`; a malformed one is 400 naming the field (422 for a malformed attestation).
    func decode<Value: Decodable>(_ type: Value.Type, _ body: [UInt8]) throws -> Value {
        do { return try JSONDecoder().decode(type, from: Data(body)) } catch let error as AnchorWireError {
            throw error
        } catch let DecodingError.keyNotFound(key, _) {
            throw AnchorRefusals.malformed("the field \(key.stringValue) is missing", field: key.stringValue)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw AnchorRefusals.malformed("the field \(field) has the wrong type", field: field)
        } catch {
            throw AnchorRefusals.malformed("the body is not the expected JSON: \(error)", field: "body")
        }
    }

    /// A path parameter, percent-decoded and non-empty.
    func parameter(_ name: String, _ context: BasicRequestContext) throws -> String {
        guard let raw = context.parameters.get(name), let text = raw.removingPercentEncoding, !text.isEmpty else {
            throw AnchorRefusals.malformed("the path has no \(name)", field: name)
        }
        return text
    }

    /// A numeric query parameter, `fallback` when absent.
    func query<Number: FixedWidthInteger>(_ name: String, _ request: Request, default fallback: Number) throws -> Number
    {
        guard let text = request.uri.queryParameters[name[...]] else { return fallback }
        guard let number = Number(String(text)) else {
            throw AnchorRefusals.malformed("\(name) must be a whole number, got \"\(text)\"", field: name)
        }
        return number
    }
}
