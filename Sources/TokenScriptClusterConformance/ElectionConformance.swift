import TokenScriptCluster
import TokenScriptEngine

/// An `ExecutorElection` under test, with the clock it reads expiry from and its lease term.
public struct ElectionSubject: Sendable {
    public var election: any ExecutorElection
    public var clock: ManualClock
    public var leaseSeconds: UInt64

    public init(election: any ExecutorElection, clock: ManualClock, leaseSeconds: UInt64) {
        self.election = election
        self.clock = clock
        self.leaseSeconds = leaseSeconds
    }
}

/// The rules of `ExecutorElection`: compare-and-swap on (instance, epoch), expiry from the clock, epochs
/// that only grow, stale leases refused.
public enum ElectionConformance {
    public static let checks: [ConformanceCheck<ElectionSubject>] = [
        ConformanceCheck("the first acquire gets epoch 1 and a competing candidate changes nothing", run: competitor),
        ConformanceCheck("concurrent candidates for one instance: exactly one wins", run: concurrentCandidates),
        ConformanceCheck("epochs only grow across release, expiry and takeover", run: epochsOnlyGrow),
        ConformanceCheck("a lease ends at its expiry and renew extends it", run: expiryAndRenewal),
        ConformanceCheck("renew and release refuse a stale epoch or another holder", run: staleRefused),
        ConformanceCheck("a takeover fences the live holder", run: takeoverFences),
        ConformanceCheck("empty names are refused and change nothing", run: emptyNames),
    ]

    static let expect = Expectations(protocolName: "ExecutorElection")
    static let instance = "ticket-1"

    static func isConflict(_ error: any Error) -> Bool {
        if case .conflict = error as? ElectionError { return true }
        return false
    }

    static func isStale(_ error: any Error) -> Bool { error is StaleLeaseError }

    static func competitor(_ subject: ElectionSubject) async throws {
        let election = subject.election
        try expect.equal(try await election.record(of: instance), nil, "record before any election")
        try expect.equal(await election.currentLease(of: instance), nil, "current lease before any election")
        let won = try await election.acquire(instance, for: "node-a", seenEpoch: 0)
        try expect.equal(won.lease, ExecutorLease(instance: instance, epoch: 1), "node-a acquires at epoch 0")
        try expect.equal(won.holder, "node-a", "holder after node-a acquires")
        try expect.equal(won.expiresAt, subject.clock.unixSeconds() + subject.leaseSeconds, "expiry of node-a")
        try await expect.refuses(
            "node-b acquires at epoch 0", expected: "ElectionError.conflict", matches: isConflict
        ) { try await election.acquire(instance, for: "node-b", seenEpoch: 0) }
        try await expect.refuses(
            "node-b acquires at epoch 1 while node-a's lease is live", expected: "ElectionError.conflict",
            matches: isConflict
        ) { try await election.acquire(instance, for: "node-b", seenEpoch: 1) }
        try expect.equal(try await election.record(of: instance), won, "record after the competitor lost")
        try expect.equal(
            await election.currentLease(of: instance), won.lease, "current lease after the competitor lost")
    }

    static func concurrentCandidates(_ subject: ElectionSubject) async throws {
        let election = subject.election
        let winners = await withTaskGroup(of: LeaseRecord?.self) { group in
            for candidate in 0..<32 {
                group.addTask { try? await election.acquire(instance, for: "node-\(candidate)", seenEpoch: 0) }
            }
            var won: [LeaseRecord] = []
            for await record in group { if let record { won.append(record) } }
            return won
        }
        try expect.equal(winners.count, 1, "32 candidates acquire at epoch 0 at once: winners")
        try expect.equal(try await election.record(of: instance), winners.first, "record after the race")
        try expect.equal(winners.first?.lease.epoch, 1, "epoch of the race's winner")
    }

    static func epochsOnlyGrow(_ subject: ElectionSubject) async throws {
        let election = subject.election
        let first = try await election.acquire(instance, for: "node-a", seenEpoch: 0)
        try await election.release(first.lease, for: "node-a")
        try expect.equal(await election.currentLease(of: instance), nil, "current lease after release")
        try expect.equal(try await election.record(of: instance)?.lease.epoch, 1, "epoch kept by release")
        try await expect.refuses(
            "acquire at epoch 0 after a release", expected: "ElectionError.conflict", matches: isConflict
        ) { try await election.acquire(instance, for: "node-b", seenEpoch: 0) }
        let second = try await election.acquire(instance, for: "node-b", seenEpoch: 1)
        try expect.equal(second.lease.epoch, 2, "epoch of the acquire after release")
        subject.clock.advance(seconds: subject.leaseSeconds)
        try expect.equal(await election.currentLease(of: instance), nil, "current lease once node-b's expired")
        let third = try await election.acquire(instance, for: "node-a", seenEpoch: 2)
        try expect.equal(third.lease.epoch, 3, "epoch of the acquire after expiry")
        let fourth = try await election.takeOver(instance, for: "anchor-1", seenEpoch: 3)
        try expect.equal(fourth.lease.epoch, 4, "epoch of the takeover")
    }

    static func expiryAndRenewal(_ subject: ElectionSubject) async throws {
        let election = subject.election
        let granted = try await election.acquire(instance, for: "node-a", seenEpoch: 0)
        subject.clock.advance(seconds: subject.leaseSeconds - 1)
        try expect.equal(await election.currentLease(of: instance), granted.lease, "lease one second before expiry")
        let renewed = try await election.renew(granted.lease, for: "node-a")
        try expect.equal(renewed.lease, granted.lease, "lease after renew (same epoch)")
        try expect.equal(
            renewed.expiresAt, subject.clock.unixSeconds() + subject.leaseSeconds, "expiry after renew")
        subject.clock.advance(seconds: subject.leaseSeconds - 1)
        try expect.equal(await election.currentLease(of: instance), granted.lease, "renewed lease before its expiry")
        subject.clock.advance(seconds: 1)
        try expect.equal(await election.currentLease(of: instance), nil, "lease at its expiry")
        try await expect.refuses("renew after expiry", expected: "StaleLeaseError", matches: isStale) {
            try await election.renew(granted.lease, for: "node-a")
        }
    }

    static func staleRefused(_ subject: ElectionSubject) async throws {
        let election = subject.election
        let old = try await election.acquire(instance, for: "node-a", seenEpoch: 0)
        try await election.release(old.lease, for: "node-a")
        let current = try await election.acquire(instance, for: "node-b", seenEpoch: 1)
        for (step, lease, holder) in [
            ("renew of epoch 1 by its old holder", old.lease, "node-a"),
            ("renew of epoch 2 by another node", current.lease, "node-a"),
        ] {
            try await expect.refuses(step, expected: "StaleLeaseError", matches: isStale) {
                try await election.renew(lease, for: holder)
            }
        }
        try await expect.refuses("release of epoch 1", expected: "StaleLeaseError", matches: isStale) {
            try await election.release(old.lease, for: "node-a")
        }
        try await expect.refuses("release of epoch 2 by another node", expected: "StaleLeaseError", matches: isStale) {
            try await election.release(current.lease, for: "node-a")
        }
        try expect.equal(try await election.record(of: instance), current, "record after the refusals")
    }

    static func takeoverFences(_ subject: ElectionSubject) async throws {
        let election = subject.election
        let executor = try await election.acquire(instance, for: "node-a", seenEpoch: 0)
        try await expect.refuses(
            "takeover at a stale epoch 0", expected: "ElectionError.conflict", matches: isConflict
        ) { try await election.takeOver(instance, for: "anchor-1", seenEpoch: 0) }
        let anchor = try await election.takeOver(instance, for: "anchor-1", seenEpoch: 1)
        try expect.equal(anchor.holder, "anchor-1", "holder after takeover")
        try expect.equal(await election.currentLease(of: instance), anchor.lease, "current lease after takeover")
        try await expect.refuses("renew by the fenced executor", expected: "StaleLeaseError", matches: isStale) {
            try await election.renew(executor.lease, for: "node-a")
        }
    }

    static func emptyNames(_ subject: ElectionSubject) async throws {
        let election = subject.election
        let isEmptyName: (any Error) -> Bool = { error in
            if case .emptyName = error as? ElectionError { return true }
            return false
        }
        try await expect.refuses(
            "acquire of an empty instance", expected: "ElectionError.emptyName", matches: isEmptyName
        ) { try await election.acquire("", for: "node-a", seenEpoch: 0) }
        try await expect.refuses(
            "acquire by an empty candidate", expected: "ElectionError.emptyName", matches: isEmptyName
        ) { try await election.acquire(instance, for: "", seenEpoch: 0) }
        try expect.equal(try await election.record(of: instance), nil, "record after refused acquires")
        try expect.equal(try await election.record(of: ""), nil, "record of the empty instance")
    }
}
