import Testing
import TokenScriptCluster
import TokenScriptClusterConformance

/// What only the in-memory log has: subscribers are dropped when their stream ends, and end with the log.
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

    @Test("a subscription ends when its log is gone, instead of waiting forever")
    func subscriptionEndsWithTheLog() async throws {
        var log: InMemoryAttestationLog? = InMemoryAttestationLog(fencing: InMemoryLeaseAuthority())
        let stream = try await #require(log).subscribe(topic: "t", from: 1)
        log = nil
        var iterator = stream.makeAsyncIterator()
        #expect(try await iterator.next() == nil)
    }
}
