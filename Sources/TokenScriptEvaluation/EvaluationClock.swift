/// The time source of cache expiry, injected so tests can move time by hand.
///
/// Async so that a test clock can be an actor; the value is a monotonic duration since an arbitrary origin.
public protocol EvaluationClock: Sendable {
    func now() async -> Duration
}

/// The process's monotonic clock (`ContinuousClock`), the default outside tests.
public struct ContinuousEvaluationClock: EvaluationClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() async -> Duration { origin.duration(to: .now) }
}
