import GRDB
import Synchronization

/// Group commit: the writes that arrive while a commit is being synced share the next transaction, and so one
/// sync of the file (`synchronous = FULL` makes every commit an `fsync`, the cost that bounds a node applying
/// attestations to many instances).
///
/// Each write runs in its own savepoint inside the batch's `IMMEDIATE` transaction, in arrival order, so it sees
/// the writes before it exactly as if each were its own transaction; a write that throws rolls back its savepoint
/// only, and its caller gets the error. No caller is answered before the batch's `COMMIT` returned: a write that
/// returned is on disk, and a crash before the commit loses the whole batch, never part of it. A lone write is
/// committed at once (no waiting for company), so a quiet store pays no latency for the batching.
final class SQLiteGroupCommit: Sendable {
    private struct Job: Sendable {
        let body: @Sendable (Database) throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct Queue {
        var jobs: [Job] = []
        var committing = false
    }

    private let pool: DatabasePool
    private let queue = Mutex(Queue())
    /// The most writes one transaction takes, so one batch's savepoints stay bounded.
    let maximumBatch: Int
    /// Batches committed and writes in them, for the tests and benchmarks (how much the batching shares).
    private let counts = Mutex((batches: 0, writes: 0))

    init(pool: DatabasePool, maximumBatch: Int) {
        self.pool = pool
        self.maximumBatch = maximumBatch
    }

    var statistics: (batches: Int, writes: Int) { counts.withLock { $0 } }

    /// Writes waiting for the next batch.
    var queuedWrites: Int { queue.withLock { $0.jobs.count } }

    /// Runs `body` in the next batch; returns its result once that batch is committed, or throws its error (or
    /// the commit's, when the batch could not be committed: then none of its writes happened).
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let value: any Sendable = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<any Sendable, any Error>) in
            let startCommitting = queue.withLock { queue -> Bool in
                queue.jobs.append(Job(body: { database in try body(database) }, continuation: continuation))
                guard !queue.committing else { return false }
                queue.committing = true
                return true
            }
            if startCommitting { Task { await self.commitWhileQueued() } }
        }
        guard let typed = value as? T else { preconditionFailure("a group commit job returned \(type(of: value))") }
        return typed
    }

    /// Commits batch after batch until nothing is queued.
    private func commitWhileQueued() async {
        while true {
            let batch = queue.withLock { queue -> [Job] in
                let taken = Array(queue.jobs.prefix(maximumBatch))
                queue.jobs.removeFirst(taken.count)
                if taken.isEmpty { queue.committing = false }
                return taken
            }
            guard !batch.isEmpty else { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [Job]) async {
        let outcomes: [Result<any Sendable, any Error>]
        do {
            outcomes = try await pool.writeWithoutTransaction { database in
                var results: [Result<any Sendable, any Error>] = []
                try database.inTransaction(.immediate) {
                    for job in batch {
                        do {
                            var value: (any Sendable)?
                            try database.inSavepoint {
                                value = try job.body(database)
                                return .commit
                            }
                            guard let value else { preconditionFailure("a committed savepoint left no result") }
                            results.append(.success(value))
                        } catch {
                            // SQLite itself ended the transaction (a full disk, an I/O error): fail the batch.
                            guard database.isInsideTransaction else { throw error }
                            results.append(.failure(error))
                        }
                    }
                    return .commit
                }
                return results
            }
        } catch {
            for job in batch { job.continuation.resume(throwing: error) }
            return
        }
        counts.withLock { $0 = (batches: $0.batches + 1, writes: $0.writes + batch.count) }
        for (job, outcome) in zip(batch, outcomes) {
            switch outcome {
            case .success(let value): job.continuation.resume(returning: value)
            case .failure(let error): job.continuation.resume(throwing: error)
            }
        }
    }
}
