import Hummingbird
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptHTTPServer

extension AnchorRoutes {
    /// Registration, heartbeats, departure, the member list; placement and pins.
    func addMembership(to router: Router<BasicRequestContext>) {
        router.post("/v1/nodes") { request, _ in
            let body = try await HTTPRefusal.body(of: request)
            let registration = try decode(AnchorMessages.Registration.self, body)
            guard let key = Issuer(scheme: .ed25519, key: registration.key) else {
                throw AnchorRefusals.malformed("key must be 0x and 32 bytes of hex (an ed25519 key)", field: "key")
            }
            guard !registration.name.isEmpty else { throw PlacementError.emptyName(field: "node id") }
            guard anchor.operators[registration.name] == nil else {
                throw AnchorRefusals.forbidden(
                    code: "operator-name", "\(registration.name) is an operator's name, not a node's", field: "name")
            }
            guard registration.url.hasPrefix("http://") || registration.url.hasPrefix("https://") else {
                throw AnchorRefusals.malformed("url must be http:// or https://", field: "url")
            }
            guard (1...ServiceNode.maximumWeight).contains(registration.capacity) else {
                throw PlacementError.invalidWeight(node: registration.name, weight: registration.capacity)
            }
            let signed = try verify(request, body: body, registering: key)
            guard signed.node == registration.name else {
                throw AnchorRefusals.malformed(
                    "the request is signed as \(signed.node), the registration names \(registration.name)",
                    field: "name")
            }
            let member = try await anchor.membership.register(registration)
            return HTTPJSON.json(AnchorMessages.MemberAnswer(node: member), status: .created)
        }
        router.get("/v1/nodes") { request, _ in
            _ = try await signed(request)
            return HTTPJSON.json(AnchorMessages.Members(nodes: anchor.members(), replicas: anchor.replicas))
        }
        router.post("/v1/nodes/:name/heartbeat") { request, context in
            let name = try parameter("name", context)
            try await requireSelf(try await signed(request), name)
            guard let member = anchor.membership.heartbeat(name) else {
                throw AnchorRefusals.notFound(code: "unknown-node", "no node \(name) is registered", field: "name")
            }
            await anchor.serviceLevels.record([
                NodeSample(node: name, time: anchor.clock.unixSeconds(), observation: .availability(up: true))
            ])
            return HTTPJSON.json(AnchorMessages.MemberAnswer(node: member))
        }
        router.delete("/v1/nodes/:name") { request, context in
            let name = try parameter("name", context)
            try await requireSelf(try await signed(request), name)
            return HTTPJSON.json(AnchorMessages.MemberAnswer(node: try await anchor.membership.remove(name)))
        }
        router.get("/v1/placement/:instance") { request, context in
            _ = try await signed(request)
            let instance = try parameter("instance", context)
            let replicas: Int = try query("replicas", request, default: anchor.replicas)
            guard replicas <= AnchorConfiguration.maximumReplicas else {
                throw AnchorRefusals.malformed(
                    "replicas must be 1…\(AnchorConfiguration.maximumReplicas), got \(replicas)", field: "replicas")
            }
            return HTTPJSON.json(
                AnchorMessages.Hosts(hosts: try await anchor.healthyHosts(for: instance, replicas: replicas)))
        }
        router.put("/v1/placement/:instance/pins") { request, context in
            let signed = try await signedByOperator(request)
            let instance = try parameter("instance", context)
            let pins = try decode(AnchorMessages.Pins.self, signed.body)
            try await anchor.placement.pin(instance, to: pins.nodes)
            return HTTPJSON.json(
                AnchorMessages.Hosts(hosts: try await anchor.healthyHosts(for: instance, replicas: anchor.replicas)))
        }
    }

    /// A request signed by one of the anchor's operators: 403 when it names anyone else (a member node
    /// included), 401 when the signature is not the operator's.
    func signedByOperator(_ request: Request) async throws -> Signed {
        let body = try await HTTPRefusal.body(of: request)
        let name = request.headers.first { $0.name.canonicalName == NodeRequestSignature.nodeHeader.lowercased() }?
            .value
        guard let name, anchor.operators[name] != nil else {
            throw AnchorRefusals.forbidden(
                code: "not-an-operator", "only an operator (--operator) may pin instances, not \(name ?? "nobody")",
                field: "node")
        }
        let operatorName = try anchor.authenticateOperator(
            method: request.method.rawValue, target: request.uri.string, body: body,
            header: { name in
                let lowered = name.lowercased()
                return request.headers.first { $0.name.canonicalName == lowered }?.value
            })
        return Signed(node: operatorName, body: body)
    }

    /// A request signed by a member node or by an operator (reads an operator makes, such as service levels).
    func signedByNodeOrOperator(_ request: Request) async throws -> Signed {
        let name = request.headers.first { $0.name.canonicalName == NodeRequestSignature.nodeHeader.lowercased() }?
            .value
        if let name, anchor.operators[name] != nil { return try await signedByOperator(request) }
        return try await signed(request)
    }

    /// A node speaks only for itself: 403 when the path names another.
    func requireSelf(_ signed: Signed, _ name: String) async throws {
        guard signed.node == name else {
            throw AnchorRefusals.forbidden(
                code: "not-this-node", "node \(signed.node) cannot act for \(name)", field: "name")
        }
    }
}
