import Foundation
import Synchronization
import TokenScriptEffects
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptRuntime

/// The effect transport of scenarios and dry runs: answers from a `ResponseScript`, sends nothing.
///
/// Each attempt first passes the egress check the real transport makes (`OutgoingRequestCheck`, without
/// DNS): a refused one consumes no response and ends `.refused`. Otherwise the effect's next scripted
/// response answers (or the fallback); a `timeout` moves `clock` on by the attempt's timeout, as a real
/// one would take it. Every answer is recorded per request id with whether it was scripted.
public final class ScriptedEffectTransport: EffectTransport, Sendable {
    /// One answer given.
    public struct Answer: Sendable, Hashable {
        public var response: ScriptedResponse
        public var scripted: Bool
    }

    private struct State {
        var script: ResponseScript
        var answers: [String: [Answer]] = [:]
    }

    public let egress: EgressPolicy
    private let clock: ManualClock
    private let state: Mutex<State>

    public init(responses: ResponseScript, egress: EgressPolicy = .default, clock: ManualClock) {
        self.egress = egress
        self.clock = clock
        self.state = Mutex(State(script: responses))
    }

    /// Queues more responses behind the ones still queued (a scenario step's `responses`).
    public func append(notation value: SandboxValue, path: String) throws(ScriptedResponse.Invalid) {
        var script = state.withLock { $0.script }
        try script.append(notation: value, path: path)
        state.withLock { $0.script = script }
    }

    /// The responses not used yet.
    public var remaining: ResponseScript { state.withLock { $0.script } }

    /// The answers given to the call `requestID`, in order (the anchor's included).
    public func answers(for requestID: String) -> [Answer] { state.withLock { $0.answers[requestID] ?? [] } }

    public func perform(_ request: BuiltEffectRequest) async -> EffectResult {
        if case .failure(let refusal) = OutgoingRequestCheck.check(request, policy: egress, resolving: false) {
            record(Answer(response: .refused(refusal.reason), scripted: false), for: request)
            return .refused(refusal.reason)
        }
        let (response, scripted) = state.withLock { $0.script.next(for: request.effect) }
        record(Answer(response: response, scripted: scripted), for: request)
        switch response {
        case .status(let status, let body):
            let bytes = body.map { Data($0.jsonText.utf8) } ?? Data()
            return (200...299).contains(status)
                ? .success(status: status, body: bytes) : .error(status: status, body: bytes)
        case .timeout:
            clock.advance(milliseconds: request.timeoutMilliseconds)
            return .timeout
        case .unreachable:
            return .connectionFailed("unreachable (scripted)")
        case .refused(let reason):
            return .refused(reason)
        }
    }

    private func record(_ answer: Answer, for request: BuiltEffectRequest) {
        state.withLock { $0.answers[request.requestID, default: []].append(answer) }
    }
}
