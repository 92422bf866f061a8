import Hummingbird
import TokenScriptAnchorClient
import TokenScriptCluster
import TokenScriptHTTPServer

extension AnchorRoutes {
    /// Elections by the anchor; reads, renewals and releases by the holder.
    func addElection(to router: Router<BasicRequestContext>) {
        router.post("/v1/elections/:instance") { request, context in
            _ = try await signed(request)
            let record = try await anchor.elect(try parameter("instance", context))
            return HTTPJSON.json(AnchorMessages.LeaseAnswer(lease: record, live: true))
        }
        router.get("/v1/leases/:instance") { request, context in
            _ = try await signed(request)
            let record = try await anchor.election.record(of: try parameter("instance", context))
            let live = record?.isLive(at: anchor.clock.unixSeconds()) ?? false
            return HTTPJSON.json(AnchorMessages.LeaseAnswer(lease: record, live: live))
        }
        router.post("/v1/leases/:instance/renew") { request, context in
            let signed = try await signed(request)
            let lease = ExecutorLease(
                instance: try parameter("instance", context),
                epoch: try decode(AnchorMessages.LeaseClaim.self, signed.body).epoch)
            let record = try await anchor.election.renew(lease, for: signed.node)
            return HTTPJSON.json(AnchorMessages.LeaseAnswer(lease: record, live: true))
        }
        router.post("/v1/leases/:instance/release") { request, context in
            let signed = try await signed(request)
            let lease = ExecutorLease(
                instance: try parameter("instance", context),
                epoch: try decode(AnchorMessages.LeaseClaim.self, signed.body).epoch)
            try await anchor.election.release(lease, for: signed.node)
            let record = try await anchor.election.record(of: lease.instance)
            return HTTPJSON.json(AnchorMessages.LeaseAnswer(lease: record, live: false))
        }
    }
}
