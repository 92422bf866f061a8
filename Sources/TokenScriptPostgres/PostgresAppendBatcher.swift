import PostgresNIO
import Synchronization
import TokenScriptAttestation
import TokenScriptCluster

/// Fenced appends that arrive together share one transaction and one commit, as SQLite's group commit does: on two
/// cores the database's work per transaction (a WAL flush, waking a backend), not the appends, is what bounds the
/// rate, so many writers go several times faster in batches (`Benchmarks/run-cluster-benchmark.sh`).
///
/// A caller's append joins the queue; up to `maximumInFlight` batches run at once, each taking up to `maximumBatch`
/// queued appends into one call of `ts_append_batch`, which appends each as `ts_append` would, in order, with its own
/// outcome (a stale fence refuses that append alone). Appends are sorted by topic, stably, so batches lock topic
/// rows in one order and never deadlock each other, and appends to one topic keep their order. A batch that
/// another store's transaction got in the way of (the same id appended meanwhile, a deadlock) is not an error of
/// its appends: each is appended again on its own. A lone append takes the single path at once.
final class PostgresAppendBatcher: Sendable {
    struct Request: Sendable {
        var attestation: Attestation
        var wire: String
        var lease: ExecutorLease?
        var continuation: CheckedContinuation<LogAppend, any Error>
    }

    private struct State {
        var queue: [Request] = []
        var inFlight = 0
    }

    static let maximumBatch = 256
    static let maximumInFlight = 4
    private let state = Mutex(State())
    private let store: PostgresStore

    init(store: PostgresStore) {
        self.store = store
    }

    func append(_ attestation: Attestation, wire: String, fencedBy lease: ExecutorLease?) async throws -> LogAppend {
        try await withCheckedThrowingContinuation { continuation in
            let starts = state.withLock { state in
                state.queue.append(
                    Request(attestation: attestation, wire: wire, lease: lease, continuation: continuation))
                guard state.inFlight < Self.maximumInFlight else { return false }
                state.inFlight += 1
                return true
            }
            if starts { Task { await drain() } }
        }
    }

    /// Runs batches while appends are queued; then this drainer ends.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Request] in
                guard !state.queue.isEmpty else {
                    state.inFlight -= 1
                    return []
                }
                let taken = Array(state.queue.prefix(Self.maximumBatch))
                state.queue.removeFirst(taken.count)
                return taken
            }
            if batch.isEmpty { return }
            await run(batch)
        }
    }

    private func run(_ requests: [Request]) async {
        if requests.count == 1 {
            await appendAlone(requests[0])
            return
        }
        // Stable: appends to one topic keep their arrival order.
        let batch = requests.enumerated().sorted { left, right in
            if left.element.attestation.topic == right.element.attestation.topic { return left.offset < right.offset }
            return left.element.attestation.topic.utf8.lexicographicallyPrecedes(right.element.attestation.topic.utf8)
        }.map(\.element)
        let now = PostgresNumber.stored(store.clock.unixSeconds())
        let location = store.location
        let outcomes: [PostgresAppendStatement.Row]?
        do {
            outcomes = try await store.run("append \(batch.count) attestations", retrying: true) { client in
                do {
                    let rows = try await client.query(
                        """
                        SELECT outcome, entry_position, entry_topic, entry_wire, entry_fence_instance,
                            entry_fence_epoch, lease_epoch, lease_holder, lease_expires_at
                        FROM ts_append_batch(
                            \(batch.map(\.attestation.topic)), \(batch.map(\.attestation.id)), \(batch.map(\.wire)),
                            \(batch.map { $0.lease?.instance ?? "" }),
                            \(batch.map { PostgresNumber.stored($0.lease?.epoch ?? 0) }), \(now))
                        ORDER BY item
                        """, logger: PostgresStore.quiet)
                    return try await rows.decode(PostgresAppendStatement.Row.self).collectedRows()
                } catch let error as PSQLError where Self.isInTheWay(error) {
                    return nil
                }
            }
        } catch {
            for request in batch { request.continuation.resume(throwing: error) }
            return
        }
        guard let outcomes, outcomes.count == batch.count else {
            // Another transaction was in the way: each on its own, at once.
            await withTaskGroup(of: Void.self) { group in
                for request in batch { group.addTask { await self.appendAlone(request) } }
            }
            return
        }
        for (request, row) in zip(batch, outcomes) {
            request.continuation.resume(
                with: Result {
                    try PostgresAttestationLog.outcome(
                        row, of: request.attestation, wire: request.wire, lease: request.lease, now: now,
                        location: location)
                })
        }
    }

    private func appendAlone(_ request: Request) async {
        do {
            request.continuation.resume(
                returning: try await PostgresAttestationLog.appendAlone(
                    request.attestation, wire: request.wire, fencedBy: request.lease, in: store))
        } catch {
            request.continuation.resume(throwing: error)
        }
    }

    /// A unique key taken by another transaction meanwhile (23505) or a deadlock with one (40P01): nothing of the
    /// batch was written, and its appends on their own will go through.
    private static func isInTheWay(_ error: PSQLError) -> Bool {
        let state = error.serverInfo?[.sqlState]
        return state == "23505" || state == "40P01"
    }
}
