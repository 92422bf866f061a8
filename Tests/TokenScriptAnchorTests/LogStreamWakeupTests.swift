import Testing
import TokenScriptAnchorClient
import TokenScriptCluster
import TokenScriptClusterConformance

/// The anchor's log streams are woken by the appends themselves, not by their fallback poll: with that poll set
/// to an hour, each entry below must still arrive (a test that relied on the poll would hang to its deadline).
@Suite("The anchor's log streams wake on every append")
struct LogStreamWakeupTests {
    /// Far longer than any test runs: only a wake-up can deliver in time.
    static let hour = Duration.seconds(3600)

    @Test("a quiet stream delivers a node's append, a fenced order record and the anchor's own statement")
    func wakesOnEveryAppendRoute() async throws {
        try await AnchorFixture.with(streamFallbackPoll: Self.hour) { fixture in
            let node = try await fixture.join("node-a")
            // The first entry of each topic is read before the stream goes quiet: it shows the stream is open
            // (and its listener registered) before the entry under test is appended.
            _ = try await node.log.append(AttestationLogConformance.attestation("s-1", topic: "t"), fencedBy: nil)
            var plain = try await Arrivals(node.log.subscribe(topic: "t", from: 1))
            let s1 = await plain.next()
            #expect(s1 == "s-1")
            _ = try await node.log.append(AttestationLogConformance.attestation("s-2", topic: "t"), fencedBy: nil)
            let s2 = await plain.next()
            #expect(s2 == "s-2", "an unfenced append wakes the stream")

            let lease = try await node.election.elect("ticket-1").lease
            let first = try fixture.signed(
                AttestationLogConformance.attestation("o-1", topic: "order/ticket-1", type: "input"), by: "node-a")
            _ = try await node.log.append(first, fencedBy: lease)
            var ordered = try await Arrivals(node.log.subscribe(topic: "order/ticket-1", from: 1))
            let o1 = await ordered.next()
            #expect(o1 == "o-1")
            let second = try fixture.signed(
                AttestationLogConformance.attestation("o-2", topic: "order/ticket-1", type: "input"), by: "node-a")
            _ = try await node.log.append(second, fencedBy: lease)
            let o2 = await ordered.next()
            #expect(o2 == "o-2", "a fenced order record wakes the stream")

            // The membership is signed by the anchor into its own log: node-b joining is an append in process.
            var members = try await Arrivals(node.log.subscribe(topic: "anchor/nodes", from: 1))
            let joined = await members.next()
            #expect(joined == "anchor/nodes/1")
            try await fixture.join("node-b")
            let added = await members.next()
            #expect(added == "anchor/nodes/2", "the anchor's own append wakes the stream")
        }
    }

    @Test("listeners are keyed by the topic's bytes: canonically equal spellings are two topics")
    func listenersKeyedByBytes() async throws {
        try await AnchorFixture.with { fixture in
            let composed = "flight-status/LH400\u{E9}"
            let decomposed = "flight-status/LH400e\u{301}"
            #expect(composed == decomposed, "Swift String equality would make them one key")
            let listener = fixture.anchor.log.listen(to: composed)
            #expect(fixture.anchor.log.subscriberCount(of: composed) == 1)
            #expect(fixture.anchor.log.subscriberCount(of: decomposed) == 0)
            listener.close()
            #expect(fixture.anchor.log.subscriberCount(of: composed) == 0)
        }
    }
}

/// The ids a log stream delivers, read with a deadline: `next()` answers nil when nothing arrived in time.
struct Arrivals {
    private var ids: AsyncStream<String?>.Iterator
    private let continuation: AsyncStream<String?>.Continuation
    private let reader: Task<Void, Never>

    /// Generous for a loaded machine (the whole test run shares two cores), a minute short of the fallback poll.
    static let deadline = Duration.seconds(120)

    init(_ entries: AsyncThrowingStream<LogEntry, any Error>) {
        let (stream, continuation) = AsyncStream.makeStream(of: String?.self)
        self.continuation = continuation
        ids = stream.makeAsyncIterator()
        reader = Task {
            do {
                for try await entry in entries { continuation.yield(entry.attestation.id) }
            } catch {}
            continuation.yield(nil)
        }
    }

    mutating func next() async -> String? {
        let continuation = self.continuation
        let timer = Task {
            guard (try? await Task.sleep(for: Self.deadline)) != nil else { return }
            continuation.yield(nil)
        }
        defer { timer.cancel() }
        return await ids.next() ?? nil
    }
}
