import Testing
import TokenScriptAnchorClient
import TokenScriptCluster
@testable import TokenScriptAnchor

/// `POST /v1/served-calls`: a node's own account of the calls it answered is recorded against it, next to the
/// anchor's probes; a malformed report changes nothing.
@Suite("Anchor: the calls a node reports it served")
struct AnchorServedCallsTests {
    @Test("reported calls are recorded against the reporting node: answered ones by latency, failed ones as failures")
    func recorded() async throws {
        try await AnchorFixture.with { fixture in
            let node = try await fixture.join("node-1")
            let report = AnchorMessages.ServedCalls(
                answered: [
                    .init(latencyMilliseconds: 50, count: 7), .init(latencyMilliseconds: 2_500, count: 2),
                ],
                failed: 3)
            #expect(try await node.anchoring.report(served: report) == 12)
            let record = try #require(try await fixture.anchor.serviceLevels.monitor.record(of: "node-1"))
            #expect(record.calls == 12)
            #expect(record.failedCalls == 3)
            #expect(record.maximumLatencyMilliseconds == 2_500)
            #expect(try await fixture.anchor.serviceLevels.monitor.record(of: "node-2") == nil)
        }
    }

    @Test(
        "a latency off the bounds, or more calls than one report may carry, is 400 naming the field; nothing recorded",
        arguments: [
            (
                AnchorMessages.ServedCalls(answered: [.init(latencyMilliseconds: 7, count: 1)], failed: 0),
                "answered[0].latencyMilliseconds"
            ),
            (
                AnchorMessages.ServedCalls(
                    answered: [.init(latencyMilliseconds: 10, count: AnchorMessages.ServedCalls.maximumCalls)],
                    failed: 1),
                "answered"
            ),
            (
                AnchorMessages.ServedCalls(
                    answered: [.init(latencyMilliseconds: 10, count: .max), .init(latencyMilliseconds: 25, count: 2)],
                    failed: 0),
                "answered"
            ),
        ])
    func refused(_ report: AnchorMessages.ServedCalls, field: String) async throws {
        try await AnchorFixture.with { fixture in
            let node = try await fixture.join("node-1")
            let before = try await fixture.anchor.serviceLevels.monitor.record(of: "node-1")
            let error = await #expect(throws: AnchorClientError.self) {
                _ = try await node.anchoring.report(served: report)
            }
            #expect(error?.status == 400)
            #expect(error?.field == field, "\(String(describing: error))")
            #expect(try await fixture.anchor.serviceLevels.monitor.record(of: "node-1") == before)
        }
    }
}
