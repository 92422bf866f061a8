import Foundation
import TokenScriptArithmetic

/// Waits between retries. `TaskSleeper` really waits; `RecordingSleeper` records waits for tests.
public protocol Sleeper: Sendable {
    /// Throws if the wait was cancelled.
    func sleep(milliseconds: Int64) async throws
}

/// Waits with `Task.sleep`.
public struct TaskSleeper: Sleeper {
    public init() {}

    public func sleep(milliseconds: Int64) async throws {
        try await Task.sleep(for: .milliseconds(milliseconds))
    }
}

/// Records each wait and returns at once: backoff schedules checked without sleeping.
public final class RecordingSleeper: Sleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Int64] = []

    public init() {}

    /// The waits so far, in milliseconds, in order.
    public var waits: [Int64] { lock.withLock { recorded } }

    public func sleep(milliseconds: Int64) async throws {
        lock.withLock { recorded.append(milliseconds) }
        try Task.checkCancellation()
    }
}

/// The times journaled with attempts and records.
public protocol EffectClock: Sendable {
    func now() -> Int64
}

/// Milliseconds since 1970-01-01T00:00:00Z.
public struct SystemEffectClock: EffectClock {
    public init() {}

    public func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// A logical clock: 1, 2, 3, … on successive reads. Deterministic, for tests and replay.
public final class LogicalEffectClock: EffectClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Int64

    public init(start: Int64 = 0) { current = start }

    public func now() -> Int64 {
        lock.withLock {
            current = current.saturatingAdding(1)
            return current
        }
    }
}
