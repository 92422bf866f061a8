import Testing
import TokenScriptCluster
import TokenScriptClusterConformance

/// What only the in-memory log has: its subscribers are dropped when their stream ends.
@Suite("InMemoryAttestationLog")
struct InMemoryAttestationLogTests {
    @Test("an ended subscription is no longer fed")
    func endedSubscriptionIsDropped() async throws {
        let log = InMemoryAttestationLog(fencing: InMemoryLeaseAuthority())
        var stream: AsyncThrowingStream<LogEntry, any Error>? = try await log.subscribe(topic: "t", from: 1)
        #expect(await log.subscriberCount(of: "t") == 1)
        _ = try await log.append(AttestationLogConformance.attestation("a-1", topic: "t"), fencedBy: nil)
        var iterator = stream?.makeAsyncIterator()
        #expect(try await iterator?.next()?.attestation.id == "a-1")
        iterator = nil
        stream = nil
        var yields = 0
        while await log.subscriberCount(of: "t") > 0, yields < 100_000 {
            await Task.yield()
            yields += 1
        }
        #expect(await log.subscriberCount(of: "t") == 0)
        _ = try await log.append(AttestationLogConformance.attestation("a-2", topic: "t"), fencedBy: nil)
        #expect(await log.head(of: "t") == 2)
    }
}
