import Synchronization
import TokenScriptEngine

/// An `EngineClock` that moves only when told: the conformance checks drive lease expiry with it, so no
/// check ever waits for real time.
public final class ManualEngineClock: EngineClock {
    private let seconds: Atomic<UInt64>

    public init(_ start: UInt64 = 1_700_000_000) {
        seconds = Atomic(start)
    }

    public func unixSeconds() -> UInt64 { seconds.load(ordering: .sequentiallyConsistent) }

    /// Moves the clock `delta` seconds forward.
    public func advance(by delta: UInt64) {
        seconds.wrappingAdd(delta, ordering: .sequentiallyConsistent)
    }
}
