import Testing
import TokenScriptCluster
import TokenScriptClusterConformance
import TokenScriptEngine

/// What only the in-memory lease table has: the single-node `acquire(_:)`/`release(_:)` the executor and
/// its tests use, its default clock, and `fenced(by:_:)`, the in-memory stores' "transaction".
@Suite("InMemoryLeaseAuthority")
struct InMemoryLeaseAuthorityTests {
    @Test("the single-node acquire takes over at the next epoch, and release keeps the epoch")
    func singleNodeAcquireAndRelease() async throws {
        let leases = InMemoryLeaseAuthority()
        let first = leases.acquire("ticket-1")
        #expect(first == ExecutorLease(instance: "ticket-1", epoch: 1))
        let second = leases.acquire("ticket-1")
        #expect(second.epoch == 2)
        #expect(await leases.currentLease(of: "ticket-1") == second)
        leases.release("ticket-1")
        #expect(await leases.currentLease(of: "ticket-1") == nil)
        #expect(leases.acquire("ticket-1").epoch == 3)
        let record = try #require(try await leases.record(of: "ticket-1"))
        #expect(record.holder == InMemoryLeaseAuthority.localHolder)
    }

    @Test("with the default clock, which stands still, a lease never lapses")
    func defaultClockNeverExpires() async throws {
        let leases = InMemoryLeaseAuthority()
        let lease = leases.acquire("ticket-1")
        let record = try #require(try await leases.record(of: "ticket-1"))
        #expect(record.expiresAt == leases.leaseSeconds)
        #expect(await leases.currentLease(of: "ticket-1") == lease)
    }

    @Test("a fenced write runs only under the live lease, and not at all under a stale one")
    func fencedWrites() throws {
        let clock = ManualClock(unixSeconds: 1_700_000_000)
        let leases = InMemoryLeaseAuthority(clock: clock, leaseSeconds: 10)
        let old = leases.acquire("ticket-1")
        #expect(try leases.fenced(by: old) { "written" } == "written")
        let current = leases.acquire("ticket-1")
        var ran = false
        #expect(throws: StaleLeaseError(presented: old, current: current)) {
            try leases.fenced(by: old) { ran = true }
        }
        #expect(!ran)
        clock.advance(seconds: 10)
        #expect(throws: StaleLeaseError(presented: current, current: nil)) {
            try leases.fenced(by: current) { ran = true }
        }
        #expect(!ran)
        #expect(try leases.fenced(by: nil) { "unfenced" } == "unfenced")
    }

    @Test("a stale lease's message names the lease, the instance and the current epoch")
    func staleLeaseMessage() {
        let stale = ExecutorLease(instance: "ticket-1", epoch: 1)
        let message = StaleLeaseError(presented: stale, current: ExecutorLease(instance: "ticket-1", epoch: 2))
            .description
        #expect(
            message == "refused: executor lease ticket-1@1 for instance ticket-1 is stale "
                + "(the current lease is epoch 2); no request sent")
        #expect(StaleLeaseError(presented: stale, current: nil).description.contains("nobody holds the lease now"))
    }

    @Test("a lost election says who holds the row; nothing changes")
    func conflictMessage() async throws {
        let clock = ManualClock(unixSeconds: 100)
        let leases = InMemoryLeaseAuthority(clock: clock, leaseSeconds: 30)
        _ = try await leases.acquire("ticket-1", for: "node-a", seenEpoch: 0)
        let error = await #expect(throws: ElectionError.self) {
            try await leases.acquire("ticket-1", for: "node-b", seenEpoch: 0)
        }
        #expect(
            error?.description == "election of node-b for instance ticket-1 lost: expected epoch 0 with no live "
                + "holder, found ticket-1@1 held by node-a until 130; nothing changed")
    }
}
