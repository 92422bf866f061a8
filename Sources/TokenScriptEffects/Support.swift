import Foundation
import TokenScriptEngine

/// Waits between retries. `TaskSleeper` really waits; a `ManualClock` advances instead (scenarios, tests).
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

/// The times journaled with attempts and records.
public protocol EffectClock: Sendable {
    func now() -> Int64
}

/// Milliseconds since 1970-01-01T00:00:00Z.
public struct SystemEffectClock: EffectClock {
    public init() {}

    public func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// The manual clock is the executor's clock and its sleeper at once: a backoff wait moves the time on
/// (and is recorded in `waits`) without sleeping.
extension ManualClock: EffectClock, Sleeper {
    public func now() -> Int64 { milliseconds }
}
