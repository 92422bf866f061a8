import TokenScriptCluster
import TokenScriptEngine
import TokenScriptModel

/// Runs effect calls: fencing, retries with backoff, one idempotency key, a journal, the anchor fallback.
///
/// Depends only on protocols (`EffectTransport`, `LeaseAuthority`, `Sleeper`, `EffectClock`,
/// `AnchoringNode`), so the engine and tests choose the networking, the lease table, time and the anchor.
public struct EffectExecutor: Sendable {
    /// Receives each effect journal record before the executor goes on; throwing stops the call there.
    public typealias RecordSink = @Sendable (EffectJournalEntry) async throws -> Void

    private let transport: any EffectTransport
    private let leases: any LeaseAuthority
    private let sleeper: any Sleeper
    private let clock: any EffectClock
    private let anchor: (any AnchoringNode)?

    public init(
        transport: any EffectTransport, leases: any LeaseAuthority, sleeper: any Sleeper = TaskSleeper(),
        clock: any EffectClock = SystemEffectClock(), anchor: (any AnchoringNode)? = nil
    ) {
        self.transport = transport
        self.leases = leases
        self.sleeper = sleeper
        self.clock = clock
        self.anchor = anchor
    }

    /// Runs `request` with `effect`'s retry policy and anchor fallback. `startedAt`: the requesting step's
    /// time (Unix seconds), from which the anchoring node dates its statement (`OutcomeTime`).
    public func execute(
        _ request: BuiltEffectRequest, of effect: ServerEffect, lease: ExecutorLease, startedAt: UInt64 = 0,
        journal: RecordSink
    ) async throws -> EffectCallOutcome {
        try await execute(
            request, policy: effect.retry, anchorFallback: effect.anchorFallback, lease: lease, startedAt: startedAt,
            journal: journal)
    }

    /// Runs `request`: up to `1 + policy.retries` attempts, then, if the last one still failed in a
    /// retryable way (timeout, no connection, 5xx, 429) and `anchorFallback` is set, one attempt routed
    /// by the anchoring node.
    ///
    /// - Throws: `EffectExecutionError.staleLease` when `lease` is not the instance's current lease, checked
    ///   before the intent and before every attempt: a stale executor sends nothing (more). Errors thrown
    ///   by `journal` stop the call at that point.
    /// - Returns: `success` (2xx), `error` (final status, or no connection without fallback), `timeout`
    ///   (without fallback) or `failed` (the anchor could not route it either). When the anchor routed the
    ///   call, `anchorStatement` is its signed outcome attestation.
    public func execute(
        _ request: BuiltEffectRequest, policy: RetryPolicy, anchorFallback: Bool, lease: ExecutorLease,
        startedAt: UInt64 = 0, journal: RecordSink
    ) async throws -> EffectCallOutcome {
        if anchorFallback, anchor == nil { throw EffectExecutionError.noAnchoringNode(effect: request.effect) }
        try await checkLease(lease)
        func record(_ record: EffectJournalEntry.Record) async throws {
            try await journal(
                EffectJournalEntry(
                    effect: request.effect, idempotencyKey: request.idempotencyKey, time: clock.now(), record: record))
        }
        try await record(.intent(request: request, lease: lease))

        var attempts: [EffectAttempt] = []
        // At most the document limit of 100 retries, whatever a library caller put in the policy.
        let total = 1 + min(max(policy.retries, 0), RetryPolicy.maximumRetries)
        for number in 1...total {
            if number > 1 {
                do {
                    try await sleeper.sleep(milliseconds: policy.delayMilliseconds(beforeRetry: number - 1))
                } catch {
                    throw EffectExecutionError.cancelled
                }
            }
            if Task.isCancelled { throw EffectExecutionError.cancelled }
            try await checkLease(lease)
            let started = clock.now()
            try await record(.attemptStarted(number: number, route: .direct))
            let result = await transport.perform(request)
            let attempt = EffectAttempt(number: number, started: started, ended: clock.now(), result: result)
            attempts.append(attempt)
            try await record(.attemptEnded(attempt))
            if !result.isRetryable { break }
        }

        let last = attempts[attempts.count - 1].result
        var outcome: EffectCallOutcome
        // Retries exhausted on a retryable failure (timeout, no connection, 5xx, 429): the anchoring node
        // routes the call once; a final 4xx is the API's answer and is not routed around.
        if last.isRetryable, anchorFallback, let anchor {
            try await checkLease(lease)
            let number = attempts.count + 1
            try await record(.attemptStarted(number: number, route: .anchor))
            let elapsed = OutcomeTime.elapsedMilliseconds(
                of: attempts, retry: policy, timeoutMilliseconds: request.timeoutMilliseconds)
            let routing = try await anchor.route(
                AnchorCall(
                    request: request, lease: lease, number: number, startedAt: startedAt, elapsedMilliseconds: elapsed))
            attempts.append(routing.attempt)
            try await record(.attemptEnded(routing.attempt))
            if routing.failed {
                outcome = EffectCallOutcome(kind: .failed, attempts: attempts, anchorStatement: routing.statement)
            } else {
                outcome = EffectCallOutcome.deciding(routing.attempt.result, attempts: attempts)
                outcome.anchorStatement = routing.statement
            }
        } else {
            outcome = EffectCallOutcome.deciding(last, attempts: attempts)
        }
        try await record(.outcome(outcome))
        return outcome
    }

    private func checkLease(_ lease: ExecutorLease) async throws {
        let current = await leases.currentLease(of: lease.instance)
        guard current == lease else { throw EffectExecutionError.staleLease(presented: lease, current: current) }
    }
}
