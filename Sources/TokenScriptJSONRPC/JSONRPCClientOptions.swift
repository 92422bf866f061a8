/// How patient and how trusting a `JSONRPCChainClient` is.
///
/// Attribute evaluation runs while a user waits, so the defaults bound the worst case: an unreachable
/// node costs at most `(retries + 1) × timeout` plus the backoff pauses, about 31 s, and a hostile or
/// broken endpoint cannot make the client buffer more than `maximumResponseBytes`.
public struct JSONRPCClientOptions: Sendable, Hashable {
    /// Seconds one HTTP exchange may take, from sending to the last byte of the answer.
    public var timeout: Double
    /// Further attempts after a timeout or transport error. Reverts, RPC errors and malformed answers are
    /// never retried: asking again would get the same answer.
    public var retries: Int
    /// Pause before the first retry in seconds; it doubles for each further retry.
    public var backoff: Double
    /// Answers larger than this are refused while they arrive (a batch of `eth_getLogs` results fits easily).
    public var maximumResponseBytes: Int

    public init(timeout: Double = 10, retries: Int = 2, backoff: Double = 0.25, maximumResponseBytes: Int = 32 << 20) {
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = max(0, backoff)
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// The pause before retry number `attempt` (0-based).
    func pause(beforeRetry attempt: Int) -> Double {
        // `Task.sleep(for: .seconds(x))` traps on infinity and NaN: a hostile backoff is clamped to an hour.
        let pause = backoff * Double(1 << min(max(attempt, 0), 16))
        return pause.isFinite ? min(max(pause, 0), 3600) : 3600
    }
}
