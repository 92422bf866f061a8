import TokenScriptModel

/// Durations from documents: reading one, and the retry schedule built from it (as timeouts, backoffs and
/// caps are), must not trap whatever the digits.
enum DurationFuzzing {
    static func run(_ bytes: [UInt8]) {
        let text = FuzzTarget.text(bytes)
        _ = ISOTimestamp.isValid(text)
        guard let duration = ISODuration(text) else { return }
        for backoff in [RetryPolicy.Backoff.fixed, .exponential] {
            for maximum in [nil, duration] {
                let policy = RetryPolicy(retries: 64, backoff: backoff, initial: duration, maximum: maximum)
                for retry in [1, 2, 3, 31, 63, 64] { _ = policy.delayMilliseconds(beforeRetry: retry) }
            }
        }
    }
}
