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
        router.post("/v1/served-calls") { request, _ in
            let signed = try await signed(request)
            let served = try decode(AnchorMessages.ServedCalls.self, signed.body)
            let samples = try Self.samples(of: served, by: signed.node, at: anchor.clock.unixSeconds())
            await anchor.serviceLevels.record(samples)
            return HTTPJSON.json(AnchorMessages.ServedCallsAnswer(recorded: UInt64(samples.count)))
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

    /// A node's served calls as observations of it, one per call; refused (400 naming the field) when a latency
    /// is not one of the bounds or the report carries more than `ServedCalls.maximumCalls`.
    static func samples(
        of served: AnchorMessages.ServedCalls, by node: String, at time: UInt64
    ) throws -> [NodeSample] {
        for (index, entry) in served.answered.enumerated()
        where !AnchorMessages.ServedCalls.bounds.contains(entry.latencyMilliseconds) {
            throw AnchorRefusals.malformed(
                "latency \(entry.latencyMilliseconds) ms is not one of the bounds "
                    + AnchorMessages.ServedCalls.bounds.map(String.init).joined(separator: ", "),
                field: "answered[\(index)].latencyMilliseconds")
        }
        guard served.total <= AnchorMessages.ServedCalls.maximumCalls else {
            throw AnchorRefusals.malformed(
                "a report carries at most \(AnchorMessages.ServedCalls.maximumCalls) calls", field: "answered")
        }
        var samples: [NodeSample] = []
        samples.reserveCapacity(Int(served.total))
        for entry in served.answered {
            let call = NodeSample(
                node: node, time: time,
                observation: .call(latencyMilliseconds: entry.latencyMilliseconds, failed: false))
            samples += repeatElement(call, count: Int(entry.count))
        }
        let failed = NodeSample(node: node, time: time, observation: .call(latencyMilliseconds: 0, failed: true))
        return samples + repeatElement(failed, count: Int(served.failed))
    }
}
