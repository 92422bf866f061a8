import Synchronization
import TokenScriptArithmetic

/// A clock that moves only when told to: scenarios, dry runs and tests.
///
/// It reads in milliseconds (the effect executor's journal times) and in Unix seconds (`EngineClock`).
/// `sleep(milliseconds:)` advances it and records the wait instead of waiting, so retry backoff is
/// reported, never slept; the effects module makes it the executor's `Sleeper` and `EffectClock`.
public final class ManualClock: EngineClock, Sendable {
    private struct State {
        var milliseconds: Int64
        var waits: [Int64] = []
    }

    private let state: Mutex<State>

    /// A clock reading `milliseconds` since 1970-01-01T00:00:00Z.
    public init(milliseconds: Int64 = 0) { state = Mutex(State(milliseconds: milliseconds)) }

    /// A clock reading `unixSeconds`.
    public convenience init(unixSeconds: UInt64) { self.init(milliseconds: Int64(clamping: unixSeconds) &* 1000) }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64 { state.withLock { $0.milliseconds } }

    /// Every wait asked of `sleep(milliseconds:)` so far, in order.
    public var waits: [Int64] { state.withLock { $0.waits } }

    public func unixSeconds() -> UInt64 { UInt64(max(milliseconds, 0) / 1000) }

    /// Sets the reading.
    public func set(milliseconds: Int64) { state.withLock { $0.milliseconds = milliseconds } }

    /// Moves the reading forward (never back; saturating).
    public func advance(milliseconds: Int64) {
        state.withLock { state in
            let (sum, overflow) = state.milliseconds.addingReportingOverflow(max(milliseconds, 0))
            state.milliseconds = overflow ? Int64.max : sum
        }
    }

    /// Moves the reading forward by whole seconds (lease expiry in the cluster's checks).
    public func advance(seconds: UInt64) {
        advance(milliseconds: Int64(clamping: seconds).saturatingMultiplied(by: 1000))
    }

    /// Records a wait and advances by it, returning at once.
    public func sleep(milliseconds: Int64) {
        state.withLock { $0.waits.append(milliseconds) }
        advance(milliseconds: milliseconds)
    }
}
