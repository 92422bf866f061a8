import TokenScriptCluster
import TokenScriptEngine

/// One record of an effect call's journal: intent → (attempt started → attempt ended)* → outcome.
///
/// The executor hands each record to its journal callback before going on, and the intent and every
/// `attemptStarted` before the request leaves: a crash never leaves a sent request unjournaled, and a
/// restarted executor can see which attempts may have reached the API (all under the same key).
public struct EffectJournalEntry: Sendable, Hashable, Codable {
    public enum Record: Sendable, Hashable, Codable {
        /// The call is about to run, under this lease, with this request.
        case intent(request: BuiltEffectRequest, lease: ExecutorLease)
        /// Attempt `number` is about to be sent (by this executor or by the anchoring node).
        case attemptStarted(number: Int, route: EffectAttempt.Route)
        /// Attempt `number` ended.
        case attemptEnded(EffectAttempt)
        /// The call ended; nothing more is sent.
        case outcome(EffectCallOutcome)
    }

    public var effect: String
    public var idempotencyKey: String
    /// From the executor's `EffectClock`.
    public var time: Int64
    public var record: Record

    /// `intent`, `attemptStarted`, `attemptEnded` or `outcome`.
    public var kind: String {
        switch record {
        case .intent: "intent"
        case .attemptStarted: "attemptStarted"
        case .attemptEnded: "attemptEnded"
        case .outcome: "outcome"
        }
    }
}
