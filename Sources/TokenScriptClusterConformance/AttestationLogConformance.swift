import TokenScriptAttestation
import TokenScriptCluster

/// An `AttestationLog` under test, with the election its fenced appends are checked against.
public struct AttestationLogSubject: Sendable {
    public var log: any AttestationLog
    public var election: any ExecutorElection

    public init(log: any AttestationLog, election: any ExecutorElection) {
        self.log = log
        self.election = election
    }
}

/// The rules of `AttestationLog`: gap-free positions per topic, fencing, idempotence on the attestation
/// id, reads by position and subscriptions that see later appends.
public enum AttestationLogConformance {
    public static let checks: [ConformanceCheck<AttestationLogSubject>] = [
        ConformanceCheck("positions start at 1 and count per topic", run: positionsPerTopic),
        ConformanceCheck("concurrent appends from many tasks leave no gap and no duplicate", run: concurrentAppends),
        ConformanceCheck("re-appending an attestation id appends nothing", run: idempotentReappend),
        ConformanceCheck("a stale epoch is refused and appends nothing", run: fencing),
        ConformanceCheck("appends racing a takeover: none under the old epoch lands after it", run: takeoverRace),
        ConformanceCheck("reads by position and from a position", run: readFromPosition),
        ConformanceCheck("a subscription sees the backlog, then later appends in order", run: subscription),
        ConformanceCheck("malformed attestations and ranges are refused", run: badInput),
        ConformanceCheck("topics are listed once, in the order of their first entries", run: topicIndex),
    ]

    static let expect = Expectations(protocolName: "AttestationLog")

    /// A well-formed attestation (the log stores what it is given; verifying signatures is the engine's job).
    public static func attestation(_ id: String, topic: String, type: String = "status") -> Attestation {
        Attestation(
            id: id, topic: topic, type: type, issuer: .ed25519(publicKey: [UInt8](repeating: 7, count: 32)),
            issuedAt: 1_700_000_000, payload: .string(id), signature: [UInt8](repeating: 1, count: 64))
    }

    static func positionsPerTopic(_ subject: AttestationLogSubject) async throws {
        let log = subject.log
        try expect.equal(try await log.head(of: "flight/LH400"), 0, "head of an empty topic")
        for (index, (id, topic)) in [("a-1", "flight/LH400"), ("b-1", "flight/BA7"), ("a-2", "flight/LH400")]
            .enumerated()
        {
            let appended = try await log.append(attestation(id, topic: topic), fencedBy: nil)
            try expect.equal(appended, .appended(appended.entry), "append \(index + 1) (\(id)): appended")
        }
        try expect.equal(try await log.head(of: "flight/LH400"), 2, "head of flight/LH400 after 2 appends")
        try expect.equal(try await log.head(of: "flight/BA7"), 1, "head of flight/BA7 after 1 append")
        try expect.equal(
            try await log.entry(topic: "flight/LH400", position: 2)?.attestation.id, "a-2", "flight/LH400 position 2")
        try expect.equal(
            try await log.entry(topic: "flight/BA7", position: 1)?.attestation.id, "b-1", "flight/BA7 position 1")
    }

    static func concurrentAppends(_ subject: AttestationLogSubject) async throws {
        let log = subject.log
        let tasks = 16
        let perTask = 25
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for index in 0..<perTask {
                        let topic = index % 2 == 0 ? "even" : "odd"
                        _ = try await log.append(attestation("t\(task)-\(index)", topic: topic), fencedBy: nil)
                    }
                }
            }
            try await group.waitForAll()
        }
        for (topic, count) in [("even", tasks * 13), ("odd", tasks * 12)] {
            try expect.equal(try await log.head(of: topic), UInt64(count), "head of \(topic) after concurrent appends")
            let entries = try await log.entries(topic: topic, from: 1, limit: count + 10)
            try expect.equal(entries.map(\.position), (1...UInt64(count)).map { $0 }, "positions of \(topic)")
            try expect.equal(Set(entries.map(\.attestation.id)).count, count, "distinct ids in \(topic)")
            try expect.require(entries.allSatisfy { $0.topic == topic }, "topics of \(topic)'s entries", "\(entries)")
        }
    }

    static func idempotentReappend(_ subject: AttestationLogSubject) async throws {
        let log = subject.log
        let original = attestation("a-1", topic: "t")
        let first = try await log.append(original, fencedBy: nil)
        _ = try await log.append(attestation("a-2", topic: "t"), fencedBy: nil)
        let again = try await log.append(original, fencedBy: nil)
        try expect.equal(again, .alreadyLogged(first.entry), "re-append of a-1")
        try expect.equal(try await log.head(of: "t"), 2, "head after the re-append")
        var changed = original
        changed.type = "other"
        try await expect.refuses(
            "append of id a-1 with other content", expected: "AttestationLogError.conflictingAttestation",
            matches: { error in
                if case .conflictingAttestation = error as? AttestationLogError { return true }
                return false
            }
        ) { try await log.append(changed, fencedBy: nil) }
        // Canonically equivalent but other bytes (NFD for NFC) is other content: what was signed differs.
        var respelled = attestation("a-3", topic: "t")
        respelled.payload = .string("caf\u{E9}")
        _ = try await log.append(respelled, fencedBy: nil)
        respelled.payload = .string("cafe\u{301}")
        try await expect.refuses(
            "append of id a-3 with a canonically equivalent payload",
            expected: "AttestationLogError.conflictingAttestation",
            matches: { error in
                if case .conflictingAttestation = error as? AttestationLogError { return true }
                return false
            }
        ) { try await log.append(respelled, fencedBy: nil) }
        var moved = original
        moved.topic = "elsewhere"
        try await expect.refuses(
            "append of id a-1 on another topic", expected: "AttestationLogError.conflictingAttestation",
            matches: { $0 is AttestationLogError }
        ) { try await log.append(moved, fencedBy: nil) }
        try expect.equal(try await log.head(of: "t"), 3, "head of t after the conflicts")
        try expect.equal(try await log.head(of: "elsewhere"), 0, "head of elsewhere after the conflicts")
    }

    static func fencing(_ subject: AttestationLogSubject) async throws {
        let log = subject.log
        let election = subject.election
        let old = try await election.acquire("ticket-1", for: "node-a", seenEpoch: 0)
        let fenced = try await log.append(attestation("intent-1", topic: "effect/book"), fencedBy: old.lease)
        try expect.equal(fenced.entry.fence, old.lease, "fence recorded with the entry")
        let current = try await election.takeOver("ticket-1", for: "anchor-1", seenEpoch: 1)
        try await expect.refuses(
            "append under the stale epoch 1", expected: "StaleLeaseError", matches: { $0 is StaleLeaseError }
        ) { try await log.append(attestation("intent-2", topic: "effect/book"), fencedBy: old.lease) }
        try expect.equal(try await log.head(of: "effect/book"), 1, "head after the stale append")
        try await expect.refuses(
            "re-append of a logged id under the stale epoch 1", expected: "StaleLeaseError",
            matches: { $0 is StaleLeaseError }
        ) { try await log.append(attestation("intent-1", topic: "effect/book"), fencedBy: old.lease) }
        let accepted = try await log.append(attestation("intent-2", topic: "effect/book"), fencedBy: current.lease)
        try expect.equal(accepted.entry.position, 2, "position of the append under the current epoch 2")
        try await election.release(current.lease, for: "anchor-1")
        try await expect.refuses(
            "append under a released lease", expected: "StaleLeaseError", matches: { $0 is StaleLeaseError }
        ) { try await log.append(attestation("intent-3", topic: "effect/book"), fencedBy: current.lease) }
        try expect.equal(try await log.head(of: "effect/book"), 2, "head after the append under a released lease")
    }

    static func takeoverRace(_ subject: AttestationLogSubject) async throws {
        let log = subject.log
        let election = subject.election
        let old = try await election.acquire("ticket-1", for: "node-a", seenEpoch: 0)
        let accepted = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var accepted = 0
                    for index in 0..<25 {
                        do {
                            let next = attestation("old-\(task)-\(index)", topic: "t")
                            _ = try await log.append(next, fencedBy: old.lease)
                            accepted += 1
                        } catch is StaleLeaseError {}
                    }
                    return accepted
                }
            }
            group.addTask {
                for _ in 0..<20 { await Task.yield() }
                let current = try await election.takeOver("ticket-1", for: "anchor-1", seenEpoch: 1)
                _ = try await log.append(attestation("marker", topic: "t"), fencedBy: current.lease)
                return 0
            }
            return try await group.reduce(0, +)
        }
        let entries = try await log.entries(topic: "t", from: 1, limit: 1_000)
        guard let marker = entries.first(where: { $0.attestation.id == "marker" }) else {
            throw expect.fail("the takeover's append", "no entry with id marker in \(entries.count) entries")
        }
        let underOld = entries.filter { $0.fence == old.lease }
        try expect.equal(underOld.count, accepted, "entries under epoch 1 against appends that returned")
        let late = underOld.filter { $0.position > marker.position }.map(\.attestation.id)
        try expect.equal(late, [], "entries under epoch 1 after the takeover's append at \(marker.position)")
        try expect.equal(entries.map(\.position), (1...UInt64(entries.count)).map { $0 }, "positions of t")
    }

    static func readFromPosition(_ subject: AttestationLogSubject) async throws {
        let log = subject.log
        for index in 1...5 { _ = try await log.append(attestation("r-\(index)", topic: "t"), fencedBy: nil) }
        try expect.equal(try await log.entry(topic: "t", position: 0), nil, "entry at position 0")
        try expect.equal(try await log.entry(topic: "t", position: 6), nil, "entry beyond the head")
        try expect.equal(try await log.entry(topic: "other", position: 1), nil, "entry of an unknown topic")
        let middle = try await log.entries(topic: "t", from: 2, limit: 3)
        try expect.equal(middle.map(\.attestation.id), ["r-2", "r-3", "r-4"], "3 entries from position 2")
        let tail = try await log.entries(topic: "t", from: 4, limit: 100)
        try expect.equal(tail.map(\.position), [4, 5], "entries from position 4 with a large limit")
        try expect.equal(try await log.entries(topic: "t", from: 6, limit: 10), [], "entries beyond the head")
    }

    static func subscription(_ subject: AttestationLogSubject) async throws {
        let log = subject.log
        for index in 1...3 { _ = try await log.append(attestation("s-\(index)", topic: "t"), fencedBy: nil) }
        let stream = try await log.subscribe(topic: "t", from: 2)
        _ = try await log.append(attestation("other-1", topic: "u"), fencedBy: nil)
        for index in 4...6 { _ = try await log.append(attestation("s-\(index)", topic: "t"), fencedBy: nil) }
        var seen: [String] = []
        for try await entry in stream {
            seen.append(entry.attestation.id)
            if seen.count == 5 { break }
        }
        try expect.equal(seen, ["s-2", "s-3", "s-4", "s-5", "s-6"], "subscription from position 2")
        let late = try await log.subscribe(topic: "t", from: 7)
        let appender = Task { try await log.append(attestation("s-7", topic: "t"), fencedBy: nil) }
        var iterator = late.makeAsyncIterator()
        let next = try await iterator.next()
        _ = try await appender.value
        try expect.equal(next?.attestation.id, "s-7", "subscription from beyond the head sees the next append")
        try expect.equal(next?.position, 7, "position of the next append")
    }

    static func topicIndex(_ subject: AttestationLogSubject) async throws {
        let log = subject.log
        // A log may hold topics of its own already (an anchor's membership records): counted from after them.
        let before = UInt64(try await log.topics(from: 1, limit: 1_000).count)
        for (id, topic) in [("i-1", "b"), ("i-2", "a"), ("i-3", "b"), ("i-4", "c"), ("i-1", "b")] {
            _ = try await log.append(attestation(id, topic: topic), fencedBy: nil)
        }
        // Canonically equivalent spellings are two topics, as the log keeps them.
        _ = try await log.append(attestation("i-5", topic: "caf\u{E9}"), fencedBy: nil)
        _ = try await log.append(attestation("i-6", topic: "cafe\u{301}"), fencedBy: nil)
        let all = try await log.topics(from: before + 1, limit: 100)
        try expect.equal(all.map(\.position), (1...5).map { before + $0 }, "positions of the topic index")
        try expect.equal(
            all.map { Array($0.topic.utf8) }, ["b", "a", "c", "caf\u{E9}", "cafe\u{301}"].map { Array($0.utf8) },
            "topics in the order of their first entries, as bytes")
        try expect.equal(
            try await log.topics(from: before + 2, limit: 2).map(\.topic), ["a", "c"], "two topics from the second")
        try expect.equal(try await log.topics(from: before + 6, limit: 10), [], "topics beyond the last")
        var malformed = attestation("m-1", topic: "never")
        malformed.signature = []
        _ = try? await log.append(malformed, fencedBy: nil)
        try expect.equal(try await log.topics(from: before + 6, limit: 10), [], "a refused append lists no topic")
        try await expect.refuses(
            "topics from position 0", expected: "AttestationLogError.invalidRange",
            matches: { $0 is AttestationLogError }
        ) { try await log.topics(from: 0, limit: 1) }
        try await expect.refuses(
            "topics with limit 0", expected: "AttestationLogError.invalidRange", matches: { $0 is AttestationLogError }
        ) { try await log.topics(from: 1, limit: 0) }
    }

    static func badInput(_ subject: AttestationLogSubject) async throws {
        let log = subject.log
        var malformed = attestation("m-1", topic: "t")
        malformed.signature = []
        try await expect.refuses(
            "append of an attestation without signature bytes", expected: "AttestationLogError.malformed",
            matches: { $0 as? AttestationLogError == .malformed(field: "signature") }
        ) { try await log.append(malformed, fencedBy: nil) }
        try expect.equal(try await log.head(of: "t"), 0, "head after the malformed append")
        try await expect.refuses(
            "entries from position 0", expected: "AttestationLogError.invalidRange",
            matches: { $0 is AttestationLogError }
        ) { try await log.entries(topic: "t", from: 0, limit: 1) }
        try await expect.refuses(
            "entries with limit 0", expected: "AttestationLogError.invalidRange", matches: { $0 is AttestationLogError }
        ) { try await log.entries(topic: "t", from: 1, limit: 0) }
    }
}
