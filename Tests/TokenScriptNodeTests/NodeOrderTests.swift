import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptCommands
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptNode
import TokenScriptSQLite
import TokenScriptTesting

/// The order rule across executors: two handles on one SQLite file stand for two nodes sharing a log and a
/// lease table (the network mode's remote log and election behave the same, by the conformance suites).
@Suite("Applying order/<instance> by position")
struct NodeOrderTests {
    @Test("a host applies the order records a new executor appends after a takeover, and then orders nothing")
    func appliesAnotherExecutorsOrder() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        let path = directory.path + "/node.sqlite"
        let store = try SQLiteStore(path: path, clock: clock)
        let host = try HostingFixture.host(store: store, clock: clock)
        _ = try await host.create(
            script: "flight-ticket", id: "ticket-1", attributes: ["flight": .string("LH2024")],
            holder: HostingFixture.holder.issuer.key)
        let statuses = try HostingFixture.statuses()

        // n1's lease lapses; n2 (another handle) is elected and orders the first status.
        clock.advance(milliseconds: 31_000)
        let other = try SQLiteStore(path: path, clock: clock)
        let election = SQLiteLeaseAuthority(store: other)
        let seen = try #require(try await election.record(of: "ticket-1"))
        let lease = try await election.acquire("ticket-1", for: "n2", seenEpoch: seen.lease.epoch).lease
        #expect(lease.epoch == seen.lease.epoch + 1)
        let log = SQLiteAttestationLog(store: other)
        let input = try await log.append(try Attestation(json: statuses[0]), fencedBy: nil).entry
        let n2 = TestKeys.ed25519(0x42)
        let order = try n2.sign(
            Attestation(
                id: "order-by-n2-1", topic: "order/ticket-1", type: "input", issuer: n2.issuer,
                issuedAt: clock.unixSeconds(),
                payload: .object([
                    "topic": .string(input.topic), "position": .integer(Int64(input.position)),
                    "id": .string(input.attestation.id),
                ])))
        _ = try await log.append(order, fencedBy: lease)

        let grant = try HostingFixture.grant("ticket-1")
        try await HostingFixture.settle(host, "ticket-1", at: 1)
        let view = try await host.read("ticket-1", grant: grant, grantee: nil, atLeast: 1)
        #expect(view.position == 1)
        #expect(view.state != "booked")

        // n1 still logs what it is given, but n2 executes: n1 orders nothing.
        let submitted = try await host.submit(try Attestation(json: statuses[1]))
        #expect(submitted.position == 2)
        #expect(try await log.head(of: "order/ticket-1") == 1)
        // n1's old lease fences nothing in any more.
        var stale = order
        stale.id = "order-by-n1-stale"
        let refused = try HostingFixture.node.sign(stale)
        await #expect(throws: StaleLeaseError.self) {
            _ = try await SQLiteAttestationLog(store: store).append(
                refused, fencedBy: ExecutorLease(instance: "ticket-1", epoch: seen.lease.epoch))
        }
        #expect(try await log.head(of: "order/ticket-1") == 1)
        await host.stop()
    }
}
