import Synchronization

/// Runs work under a deadline that holds even when the work ignores cancellation: the caller is answered at the
/// deadline and the work, cancelled, is left to end on its own. A task group would wait for its children, so a
/// connection attempt that does not stop when cancelled (a pool waiting for a database that is down) would hold
/// the caller past any deadline.
enum PostgresDeadline {
    static func run<T: Sendable>(
        _ timeout: Duration, timedOut: @escaping @Sendable () -> any Error,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let waiter = Mutex<CheckedContinuation<T, any Error>?>(nil)
        let tasks = Mutex<[Task<Void, Never>]>([])
        /// The one answer: the first to take the continuation resumes it; the others find it gone.
        let answer: @Sendable (Result<T, any Error>) -> Void = { result in
            let continuation = waiter.withLock { waiting in
                defer { waiting = nil }
                return waiting
            }
            continuation?.resume(with: result)
            for task in tasks.withLock({ $0 }) { task.cancel() }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiter.withLock { $0 = continuation }
                let work = Task { answer(await Result(catching: body)) }
                let timer = Task {
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    answer(.failure(timedOut()))
                }
                tasks.withLock { $0 = [work, timer] }
            }
        } onCancel: {
            answer(.failure(CancellationError()))
        }
    }
}

extension Result where Failure == any Error {
    /// The outcome of async `body`, value or error.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
