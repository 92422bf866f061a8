import Foundation
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime
import TokenScriptSandbox

/// The live effect path of one token instance on one node (issue 5): attestations in, effects executed under
/// the executor lease, outcome attestations back in.
///
/// `deliver(_:now:)` applies an attestation to the `JournaledInstance`; for every effect the step requests it
///
/// 1. builds the concrete request (`EffectRequestBuilder`: the effect's `sl:request` / `sl:idempotency-key` Lua,
///    `${env.NAME}` from `environment`), whose idempotency key derives from (instance, trigger, sequence) — or
///    the effect's own Lua — and never from the fencing epoch;
/// 2. executes it through `EffectExecutor` under this node's `ExecutorLease` (a stale epoch is refused before
///    anything is sent; the refusal is reported and the effect stays pending), keeping every record
///    (intent → attempts → outcome) in `effectJournal`;
/// 3. turns the outcome into an outcome attestation signed by this node (`identity`) — or, when the anchoring
///    node routed the call, first this node's own `timeout`/`error` conclusion and then the anchor's signed
///    `failed` (or its signed answer) — in the payload shape of `EffectSimulation`;
/// 4. delivers *that attestation* to the instance, journaled like any other: the HTTP call never touches the
///    state, only the signed outcome does, so `Replay.run` reproduces every step from the journal alone.
///
/// Other replicas of the instance never execute the effect: they receive the same outcome attestation through
/// the attestation log (the next issue) and apply it with `receive(_:now:)`, which only tracks which effects
/// still await an outcome. After a takeover, the new lease holder calls `resumePending(now:)`: it rebuilds the
/// pending requests from its own journal — the same URL, body and idempotency key — and executes them, so the
/// API sees repeats of the first executor's call, never a second booking.
///
/// One coordinator per instance per node, and it is the only one delivering to its `JournaledInstance`.
public actor EffectCoordinator {
    public let instance: JournaledInstance
    /// This node's key: it signs the outcomes it executed.
    public let identity: Ed25519AttestationSigner
    /// The executor role this coordinator presents for every effect call.
    public let lease: ExecutorLease
    public let anchor: SigningAnchoringNode?
    private let executor: EffectExecutor
    private let builder: EffectRequestBuilder
    private let server: ServerExtension

    /// Every record of every effect call run here, in order, with the request id it belongs to.
    public private(set) var effectJournal: [EffectJournalRecord] = []
    /// Effects requested by journaled steps whose final outcome attestation has not been consumed yet.
    public private(set) var pending: [PendingEffect] = []

    /// - Parameters:
    ///   - environment: the TokenScript's `ts:meta/ts:env` values with any overrides (`environment(of:overrides:)`).
    ///   - executor: must have been created with `anchor` as its anchoring node when an effect falls back to one.
    public init(
        instance: JournaledInstance, identity: Ed25519AttestationSigner, lease: ExecutorLease, executor: EffectExecutor,
        anchor: SigningAnchoringNode?, environment: [String: String], pool: SandboxPool, limits: SandboxLimits = .init()
    ) async {
        self.instance = instance
        self.identity = identity
        self.lease = lease
        self.executor = executor
        self.anchor = anchor
        let server = await instance.machine.definition.server
        self.server = server
        self.builder = EffectRequestBuilder(server: server, environment: environment, runtime: pool, limits: limits)
    }

    /// `ts:meta/ts:env` of `tokenScript`, with `overrides` winning (how tests point `${env.hotelApi}` at a local server).
    public static func environment(of tokenScript: TokenScript, overrides: [String: String] = [:]) -> [String: String] {
        var environment: [String: String] = [:]
        for value in tokenScript.meta.environment { environment[value.name] = value.value }
        environment.merge(overrides) { $1 }
        return environment
    }

    /// The executor path: applies `attestation` and executes the effects it (and every outcome after it) requests.
    /// Returns every step journaled, the outcome attestations' included, and every effect call.
    /// An `EngineError` stops at that point (the failed delivery journaled nothing and may be retried).
    public func deliver(_ attestation: Attestation, now: UInt64) async throws(EngineError) -> CoordinatedDelivery {
        var report = CoordinatedDelivery()
        try await process(attestation, now: now, origin: .delivered, execute: true, into: &report)
        return report
    }

    /// The replica path: applies `attestation` (typically an outcome attestation from the attestation log) and
    /// records requested effects as pending, executing nothing.
    public func receive(_ attestation: Attestation, now: UInt64) async throws(EngineError) -> CoordinatedDelivery {
        var report = CoordinatedDelivery()
        try await process(attestation, now: now, origin: .delivered, execute: false, into: &report)
        return report
    }

    /// Executes every pending effect under this coordinator's lease (after a takeover), then delivers the outcomes.
    public func resumePending(now: UInt64) async throws(EngineError) -> CoordinatedDelivery {
        var report = CoordinatedDelivery()
        for effect in pending {
            try await run(effect, now: now, into: &report)
        }
        return report
    }

    /// The records of the call `requestID`.
    public func effectJournal(for requestID: String) -> [EffectJournalEntry] {
        effectJournal.filter { $0.requestID == requestID }.map(\.entry)
    }

    private func record(_ entry: EffectJournalEntry, requestID: String) {
        effectJournal.append(EffectJournalRecord(requestID: requestID, entry: entry))
    }

    private func process(
        _ attestation: Attestation, now: UInt64, origin: CoordinatedStep.Origin, execute: Bool,
        into report: inout CoordinatedDelivery
    ) async throws(EngineError) {
        let outcome = try await instance.deliver(attestation, now: now)
        let sequence = await instance.head.nextSequence - 1
        report.steps.append(CoordinatedStep(sequence: sequence, attestation: attestation, origin: origin, outcome: outcome))

        if outcome.verified != nil, attestation.topic.hasPrefix("effect/"),
            let requestID = attestation.payload["requestId"]?.stringValue,
            let index = pending.firstIndex(where: { $0.requestID == requestID }),
            isFinal(attestation, effect: pending[index].effect)
        {
            pending.remove(at: index)
        }

        guard let trigger = outcome.disposition.trigger, case .applied = outcome.disposition else { return }
        var requested: [PendingEffect] = []
        for (offset, request) in outcome.effects.enumerated() {
            guard let effect = server.effect(named: request.name) else { continue }
            do {
                let built = try await builder.build(
                    request, index: offset + 1, trigger: trigger, sequence: sequence, instance: outcome.instance,
                    time: attestation.issuedAt)
                requested.append(PendingEffect(requestID: built.requestID, sequence: sequence, effect: effect, request: built))
            } catch {
                report.effects.append(
                    EffectRun(
                        requestID: "\(outcome.instance.id)/\(sequence)/\(request.name)/\(offset + 1)", request: nil,
                        result: .notBuilt(error.description)))
            }
        }
        pending.append(contentsOf: requested)
        guard execute else { return }
        for effect in requested {
            try await run(effect, now: now, into: &report)
        }
    }

    /// Whether consuming `attestation` settles its effect: a `timeout` or a status-less `error` of an effect with
    /// anchor fallback is followed by the anchor's verdict.
    private func isFinal(_ attestation: Attestation, effect: ServerEffect) -> Bool {
        guard effect.anchorFallback, attestation.payload["refused"] == nil else { return true }
        switch attestation.type {
        case "timeout": return false
        case "error": return attestation.payload["status"] != nil
        default: return true
        }
    }

    private func run(_ effect: PendingEffect, now: UInt64, into report: inout CoordinatedDelivery) async throws(EngineError) {
        let built = effect.request
        guard let url = URL(string: built.url) else {
            report.effects.append(EffectRun(requestID: built.requestID, request: nil, result: .notBuilt("invalid URL \(built.url)")))
            return
        }
        var headers = built.headers
        headers.removeValue(forKey: built.idempotencyHeader)
        let request = TokenScriptEffects.EffectRequest(
            effect: effect.effect, url: url, headers: headers, body: built.body.map { Data($0.utf8) },
            idempotencyKey: built.idempotencyKey)
        let requestID = built.requestID
        let started = ContinuousClock.now
        let call: EffectCallOutcome
        do {
            call = try await executor.execute(request, of: effect.effect, lease: lease) { [self] entry in
                await self.record(entry, requestID: requestID)
            }
        } catch let error as EffectExecutionError {
            report.effects.append(EffectRun(requestID: requestID, request: request, result: .refused(error)))
            return
        } catch {
            report.effects.append(EffectRun(requestID: requestID, request: request, result: .interrupted(String(describing: error))))
            return
        }
        let elapsed = ContinuousClock.now - started
        // The outcome is signed and received at the requesting delivery's clock plus the call's duration.
        // Saturating and within the attestation time range, so the outcome can always be signed.
        let time = min(
            now.saturatingAdding(UInt64(max(elapsed.components.seconds, 0)))
                .saturatingAdding(elapsed.components.attoseconds > 0 ? 1 : 0),
            UInt64(AttestationValue.maximumInteger))

        var outcomes: [Attestation] = []
        do {
            outcomes = try sign(call, request: request, requestID: requestID, time: time)
        } catch {
            report.effects.append(
                EffectRun(requestID: requestID, request: request, result: .interrupted("signing the outcome: \(error)")))
            return
        }
        report.effects.append(EffectRun(requestID: requestID, request: request, result: .executed(call, outcomes: outcomes)))
        for attestation in outcomes {
            try await process(attestation, now: time, origin: .effectOutcome(requestID: requestID), execute: true, into: &report)
        }
    }

    /// The outcome attestations of `call`, in delivery order.
    private func sign(
        _ call: EffectCallOutcome, request: TokenScriptEffects.EffectRequest, requestID: String, time: UInt64
    ) throws -> [Attestation] {
        let direct = call.attempts.filter { $0.route == .direct }
        guard let routed = call.attempts.last(where: { $0.route == .anchor }), let anchor else {
            return [
                try OutcomeAttestations.sign(
                    type: call.eventType, effect: request.effect, requestID: requestID,
                    idempotencyKey: request.idempotencyKey, attempts: call.attempts.count, status: call.status,
                    body: call.body, refused: call.refusal, issuedAt: time, signer: identity)
            ]
        }
        // This node's own conclusion after its retries (what EffectSimulation signs before the anchor's try).
        let own = try OutcomeAttestations.sign(
            type: direct.last?.result == .timeout ? "timeout" : "error", effect: request.effect, requestID: requestID,
            idempotencyKey: request.idempotencyKey, attempts: direct.count, status: nil, body: nil, issuedAt: time,
            signer: identity)
        if let failure = call.failure {
            return [own, try anchor.signFailure(failure, requestID: requestID, status: routed.result.status, issuedAt: time)]
        }
        return [
            own,
            try anchor.signOutcome(
                call, effect: request.effect, requestID: requestID, idempotencyKey: request.idempotencyKey, issuedAt: time),
        ]
    }
}

extension EffectCallOutcome {
    /// Why the egress policy refused the call (its attempt ended `refused`), if it did.
    var refusal: String? {
        if case .refused(let reason)? = attempts.last?.result { reason } else { nil }
    }
}

/// One journaled step of a coordinated delivery.
public struct CoordinatedStep: Sendable {
    public enum Origin: Sendable, Hashable {
        /// The attestation handed to `deliver` / `receive`.
        case delivered
        /// An outcome attestation of the call `requestID`, signed here (or by the anchor) and fed back.
        case effectOutcome(requestID: String)
    }

    /// The step's journal sequence.
    public var sequence: UInt64
    public var attestation: Attestation
    public var origin: Origin
    public var outcome: StepOutcome
}

/// One effect call (or refusal) of a coordinated delivery.
public struct EffectRun: Sendable {
    public enum Result: Sendable {
        /// Executed to an outcome; `outcomes` are the signed attestations delivered for it, in order.
        case executed(EffectCallOutcome, outcomes: [Attestation])
        /// Refused before sending anything more (a stale lease): the effect stays pending.
        case refused(EffectExecutionError)
        /// The request could not be built (request Lua failed, unknown `${env.NAME}`, bad URL); nothing sent.
        case notBuilt(String)
        /// Stopped for another reason (cancellation, a signing failure): the effect stays pending.
        case interrupted(String)
    }

    /// `<instance>/<sequence>/<effect>/<n>`.
    public var requestID: String
    public var request: TokenScriptEffects.EffectRequest?
    public var result: Result

    public var outcome: EffectCallOutcome? { if case .executed(let outcome, _) = result { outcome } else { nil } }
    public var outcomeAttestations: [Attestation] { if case .executed(_, let list) = result { list } else { [] } }
    public var refusal: EffectExecutionError? { if case .refused(let error) = result { error } else { nil } }
}

/// What `deliver`, `receive` and `resumePending` return: every step journaled, every effect call.
public struct CoordinatedDelivery: Sendable {
    public var steps: [CoordinatedStep] = []
    public var effects: [EffectRun] = []

    public init() {}
}

/// An effect requested by a journaled step, awaiting its final outcome attestation.
public struct PendingEffect: Sendable, Hashable {
    public var requestID: String
    /// The journal sequence of the requesting step.
    public var sequence: UInt64
    public var effect: ServerEffect
    public var request: BuiltEffectRequest
}

/// One effect journal record, with the call it belongs to.
public struct EffectJournalRecord: Sendable, Hashable {
    public var requestID: String
    public var entry: EffectJournalEntry
}
