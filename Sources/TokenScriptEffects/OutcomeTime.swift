import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptModel

/// When an outcome attestation is issued: the requesting step's time plus the call's time so far, rounded up
/// to whole seconds — the same on the simulated and the live path, and never the wall clock, so a journal
/// does not depend on how fast the API answered.
///
/// The call's time counts the backoff waits before each retry and the effect's `timeout=` for each attempt
/// that timed out; an answered attempt takes no time.
public enum OutcomeTime {
    /// The time of the executor's `attempts` (route `direct`, numbered from 1) under `retry`.
    public static func elapsedMilliseconds(of attempts: [EffectAttempt], retry: RetryPolicy, timeoutMilliseconds: Int64)
        -> Int64
    {
        var elapsed: Int64 = 0
        for attempt in attempts {
            if attempt.number > 1 {
                elapsed = elapsed.saturatingAdding(max(retry.delayMilliseconds(beforeRetry: attempt.number - 1), 0))
            }
            elapsed = adding(attempt, to: elapsed, timeoutMilliseconds: timeoutMilliseconds)
        }
        return elapsed
    }

    /// `elapsed` plus `attempt`'s own time: `timeoutMilliseconds` when it timed out, else nothing.
    public static func adding(_ attempt: EffectAttempt, to elapsed: Int64, timeoutMilliseconds: Int64) -> Int64 {
        attempt.result == .timeout ? elapsed.saturatingAdding(max(timeoutMilliseconds, 0)) : elapsed
    }

    /// `startedAt` plus `elapsedMilliseconds` rounded up to seconds. Saturating, and kept within what an
    /// attestation may carry: huge timeouts and backoffs make a late outcome, never a wrapped-around early one.
    public static func issuedAt(startedAt: UInt64, elapsedMilliseconds: Int64) -> UInt64 {
        let seconds = UInt64(max(elapsedMilliseconds, 0).saturatingAdding(999) / 1000)
        return min(startedAt.saturatingAdding(seconds), UInt64(AttestationValue.maximumInteger))
    }
}
