import Foundation
import Testing
import TokenScriptCluster
import TokenScriptDocument
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptExecutor
import TokenScriptModel
import TokenScriptTesting

/// Replay on the node's own delivery path: the committed journals of `Fixtures/replay` checked through
/// `EffectCoordinator.receive`, whose executor refuses to execute.
@Suite struct ReplayThroughCoordinatorTests {
    static let folder = TestPaths.fixtures + "/replay"

    static func load(_ name: String) throws -> Journal {
        try Journal(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))))
    }

    @Test("the committed journals replay and diverge through the coordinator as through the bare engine")
    func committedJournals() async throws {
        let loaded = try TokenScriptReader.read(file: Self.folder + "/flight-ticket.xml")
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
        let definition = try TokenDefinition(tokenScript: loaded.tokenScript)
        let journals = [
            try Self.load("flight-ticket.journal.jsonl"), try Self.load("flight-ticket-diverging.journal.jsonl"),
        ]
        // The replaying journal's last step requests the hotel rebooking: the coordinator builds it, sends nothing.
        #expect(journals[0].entries.last?.effects.map(\.name) == ["rebookHotel"])
        let replayer = ReplayThroughCoordinator.replayer(
            definition: definition, runtime: Fixture.pool,
            environment: loaded.tokenScript.environment(overrides: ["hotelApi": "http://127.0.0.1:9/api"]))
        let results = await replayer.replay(journals)
        let bare = await Replayer(definition: definition, runtime: Fixture.pool).replay(journals)
        #expect(results == bare)
        #expect(results.count == 2)
        let report = try #require(results.first.flatMap { if case .replayed(let report) = $0 { report } else { nil } })
        #expect(report.stepsVerified == 6)
        let divergence = try #require(results.last.flatMap { if case .diverged(let error) = $0 { error } else { nil } })
        #expect(divergence.sequence == 3)
        #expect(divergence.differingFields["attributes.delayMinutes"] == .init(journaled: "35", replayed: "30"))
    }

    @Test("the replay transport sends nothing: every attempt is refused, final, and remembered")
    func refusingTransport() async throws {
        let transport = RefusingEffectTransport()
        let leases = InMemoryLeaseAuthority()
        let lease = leases.acquire("ticket-1")
        let request = BuiltEffectRequest(
            effect: "rebookHotel", requestID: "ticket-1/2/rebookHotel/1", method: "POST", url: "http://127.0.0.1:9/api",
            headers: [:], body: nil, timeoutMilliseconds: 5000, idempotencyKey: "ticket-1/rebook/2/rebookHotel",
            idempotencyHeader: "Idempotency-Key")
        let outcome = try await EffectExecutor(transport: transport, leases: leases).execute(
            request, policy: RetryPolicy(retries: 3), anchorFallback: false, lease: lease
        ) { _ in }
        #expect(transport.attempted == ["rebookHotel"])
        #expect(outcome.attempts.count == 1)
        #expect(outcome.refusal == "replay executes no effect")
    }
}
