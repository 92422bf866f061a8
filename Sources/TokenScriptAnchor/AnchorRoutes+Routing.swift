import Hummingbird
import TokenScriptAnchorClient
import TokenScriptCluster
import TokenScriptHTTPServer

extension AnchorRoutes {
    /// Failure routing and its record; state-hash reports and the evidence; the nodes' service levels.
    func addRouting(to router: Router<BasicRequestContext>) {
        router.post("/v1/route") { request, _ in
            let signed = try await signed(request)
            let call = try decode(AnchorMessages.Call.self, signed.body).call
            let routing = try await anchor.route(call, for: signed.node)
            return HTTPJSON.json(AnchorMessages.RoutingAnswer(routing))
        }
        router.get("/v1/routings") { request, _ in
            _ = try await signed(request)
            return HTTPJSON.json(AnchorMessages.Routings(routings: try await anchor.routings()))
        }
        router.post("/v1/state-hashes") { request, _ in
            let signed = try await signed(request)
            let hashes = try decode([AnchorMessages.StateHash].self, signed.body)
            for (index, hash) in hashes.enumerated() where hash.instance.isEmpty || hash.stateHash.isEmpty {
                let field = hash.instance.isEmpty ? "instance" : "stateHash"
                throw AnchorRefusals.malformed("report \(index) has an empty \(field)", field: "[\(index)].\(field)")
            }
            let mismatches = try await anchor.evidence.report(hashes, by: signed.node)
            let now = anchor.clock.unixSeconds()
            await anchor.serviceLevels.record(
                mismatches.map { NodeSample(node: $0.node, time: now, observation: .mismatch(instance: $0.instance)) })
            return HTTPJSON.json(AnchorMessages.StateHashAnswer(accepted: hashes.count, mismatches: mismatches))
        }
        router.get("/v1/service-levels") { request, _ in
            _ = try await signedByNodeOrOperator(request)
            return HTTPJSON.json(try await anchor.serviceLevelReport())
        }
        router.get("/v1/evidence") { request, _ in
            _ = try await signed(request)
            return HTTPJSON.json(AnchorMessages.EvidenceList(evidence: try await anchor.evidence.all()))
        }
    }
}
