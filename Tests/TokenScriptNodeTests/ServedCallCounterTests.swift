import Testing
import TokenScriptAnchorClient
import TokenScriptNode

/// What a network node reports of the calls it answered: latencies rounded up to the bounds, failures apart,
/// drained once, capped per report, and put back when the anchor could not take them.
@Suite("Served calls: the node's own account")
struct ServedCallCounterTests {
    @Test("latencies are rounded up to the next bound (anything slower at the last), failures counted apart")
    func rounding() throws {
        let counter = ServedCallCounter()
        for milliseconds: UInt64 in [0, 10, 11, 999, 1_000, 1_001, 90_000] {
            counter.record(milliseconds: milliseconds, failed: false)
        }
        counter.record(milliseconds: 3, failed: true)
        let report = try #require(counter.drain())
        #expect(
            report.answered == [
                .init(latencyMilliseconds: 10, count: 2), .init(latencyMilliseconds: 25, count: 1),
                .init(latencyMilliseconds: 1_000, count: 2), .init(latencyMilliseconds: 2_500, count: 1),
                .init(latencyMilliseconds: 60_000, count: 1),
            ])
        #expect(report.failed == 1)
        #expect(report.total == 8)
        #expect(counter.drain() == nil, "drained once")
    }

    @Test("a report carries at most maximumCalls; the rest waits for the next one, and a failed send is put back")
    func capAndRestore() throws {
        let counter = ServedCallCounter()
        let maximum = AnchorMessages.ServedCalls.maximumCalls
        for _ in 0..<(maximum + 5) { counter.record(milliseconds: 5, failed: false) }
        let first = try #require(counter.drain())
        #expect(first.total == maximum)
        let second = try #require(counter.drain())
        #expect(second.total == 5)
        counter.restore(second)
        counter.record(milliseconds: 5, failed: true)
        let third = try #require(counter.drain())
        #expect(third.answered == [.init(latencyMilliseconds: 10, count: 5)])
        #expect(third.failed == 1)
    }
}
