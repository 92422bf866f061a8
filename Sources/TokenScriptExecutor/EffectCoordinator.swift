import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime

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
///    node routed the call, first this node's own `timeout`/`error` conclusion and then the statement the anchor
///    signed itself — in the one shape of `OutcomeAttestations`, dated by `OutcomeTime` (never the wall clock);
/// 4. delivers *that attestation* to the instance, journaled like any other: the HTTP call never touches the
///    state, only the signed outcome does, so `Replay.run` reproduces every step from the journal alone.
///
/// Other replicas of the instance never execute the effect: they receive the same outcome attestation through
/// the attestation log (the next issue) and apply it with `receive(_:now:)`, executing nothing. Which effects still
/// await an outcome is read from the instance's journal (`pending`): effects of applied steps whose final outcome
/// attestation is not journaled. So after a takeover or a restart, a coordinator created over the instance calls
/// `resumePending()`: it rebuilds those requests from the journal — the same URL, body and idempotency key —
/// and executes them, so the API sees repeats of the first executor's call, never a second booking.
///
/// A step's effects are all executed before their outcomes are delivered, depth first, at most `maximumCascade`
/// deliveries per input (scenarios and dry runs drive this same path with a scripted transport).
///
/// One coordinator per instance per node, and it is the only one delivering to its `JournaledInstance`.
public actor EffectCoordinator {
    public let instance: JournaledInstance
    /// This node's key: it signs the outcomes it executed.
    public let identity: Ed25519AttestationSigner
    /// The executor role this coordinator presents for every effect call.
    public let lease: ExecutorLease
    /// The most deliveries one input may lead to (effects requesting effects); then the cascade stops.
    public let maximumCascade: Int
    private let executor: EffectExecutor
    private let builder: EffectRequestBuilder
    private let definitionID: String
    private let server: ServerExtension

    /// Every record of every effect call run here, in order, with the request id it belongs to.
    public private(set) var effectJournal: [EffectJournalRecord] = []
    /// Calls being executed right now: not pending, so a reentrant `resumePending` does not send them twice.
    private var inFlight: Set<String> = []
    /// A journal sequence before which nothing is pending: set when the journal is empty or `pending` found
    /// nothing, moved on by each step this coordinator applies that neither requests nor settles an effect.
    /// While it is the instance's next sequence, `pending` is empty without reading (and verifying) the
    /// journal, which a node asks after every step; any other step, or an append this coordinator did not
    /// make, leaves it behind the head, and the journal is read again.
    private var nothingPendingBefore: UInt64?

    /// - Parameters:
    ///   - environment: the TokenScript's `ts:meta/ts:env` values with any overrides
    ///     (`TokenScript.environment(overrides:)`).
    ///   - executor: must have an anchoring node when an effect falls back to one.
    public init(
        instance: JournaledInstance, identity: Ed25519AttestationSigner, lease: ExecutorLease, executor: EffectExecutor,
        environment: [String: String], runtime: any ScriptRuntime, limits: SandboxLimits = .init(),
        maximumCascade: Int = 64
    ) async {
        self.instance = instance
        self.identity = identity
        self.lease = lease
        self.executor = executor
        self.maximumCascade = maximumCascade
        let definition = await instance.machine.definition
        self.definitionID = definition.id
        self.server = definition.server
        self.builder = EffectRequestBuilder(
            server: definition.server, environment: environment, runtime: runtime, limits: limits)
        // An empty journal has applied no step, so it requested no effect.
        let next = await instance.head.nextSequence
        if next == 1 { self.nothingPendingBefore = next }
    }

    /// The executor path: applies `attestation` and executes the effects it (and every outcome after it) requests.
    /// Returns every step journaled, the outcome attestations' included, and every effect call.
    /// An `EngineError` stops at that point (the failed delivery journaled nothing and may be retried).
    public func deliver(_ attestation: Attestation, now: UInt64) async throws(EngineError) -> CoordinatedDelivery {
        var report = CoordinatedDelivery()
        try await process(attestation, now: now, origin: .delivered, execute: true, into: &report)
        return report
    }

    /// The replica path: applies `attestation` (typically an outcome attestation from the attestation log),
    /// executing nothing; requested effects stay pending in the journal.
    public func receive(_ attestation: Attestation, now: UInt64) async throws(EngineError) -> CoordinatedDelivery {
        var report = CoordinatedDelivery()
        try await process(attestation, now: now, origin: .delivered, execute: false, into: &report)
        return report
    }

    /// Executes every pending effect under this coordinator's lease (after a takeover or a restart), then
    /// delivers the outcomes, dated from their requesting step (`OutcomeTime`): no clock is read here.
    public func resumePending() async throws(EngineError) -> CoordinatedDelivery {
        var report = CoordinatedDelivery()
        var outcomes: [(Attestation, String)] = []
        for effect in try await pending {
            outcomes += await run(effect.request, of: effect.effect, startedAt: effect.startedAt, into: &report)
        }
        try await deliverOutcomes(outcomes, into: &report)
        return report
    }

    /// Executes every pending effect under this coordinator's lease and returns the runs, delivering nothing:
    /// a service node first logs each outcome attestation and orders it (`order/<instance>`), and every host
    /// then applies it from the log in the same position, the executor too.
    public func executePending() async throws(EngineError) -> [EffectRun] {
        var report = CoordinatedDelivery()
        for effect in try await pending {
            _ = await run(effect.request, of: effect.effect, startedAt: effect.startedAt, into: &report)
        }
        return report.effects
    }

    /// Effects requested by applied steps of the journal whose final outcome attestation is not journaled
    /// (a requested effect whose request cannot be built is never pending: it cannot be sent).
    public var pending: [PendingEffect] {
        get async throws(EngineError) {
            let head = await instance.head.nextSequence
            if nothingPendingBefore == head { return [] }
            let entries = try await instance.journalEntries()
            var settled: Set<String> = []
            for entry in entries where entry.outcome.consumed && entry.attestation.topic.hasPrefix("effect/") {
                guard let requestID = entry.attestation.payload["requestId"]?.stringValue,
                    let effect = server.effect(named: String(entry.attestation.topic.dropFirst("effect/".count)))
                else { continue }
                if OutcomeAttestations.settlesCall(entry.attestation, anchorFallback: effect.anchorFallback) {
                    settled.insert(requestID)
                }
            }
            var result: [PendingEffect] = []
            for entry in entries {
                guard case .applied(let trigger) = entry.outcome, !entry.effects.isEmpty,
                    let after = TokenInstance(canonicalValue: entry.instance, definitionID: definitionID)
                else { continue }
                for (offset, request) in entry.effects.enumerated() {
                    let requestID = BuiltEffectRequest.requestID(
                        instance: after.id, sequence: entry.sequence, effect: request.name, index: offset + 1)
                    guard !settled.contains(requestID), !inFlight.contains(requestID),
                        let effect = server.effect(named: request.name),
                        let built = try? await builder.build(
                            request, index: offset + 1, trigger: trigger, sequence: entry.sequence, instance: after,
                            time: entry.attestation.issuedAt)
                    else { continue }
                    result.append(
                        PendingEffect(
                            requestID: requestID, sequence: entry.sequence, effect: effect, request: built,
                            startedAt: entry.attestation.issuedAt))
                }
            }
            // `head` was read before the entries: a step applied meanwhile leaves the mark behind the head.
            if result.isEmpty && inFlight.isEmpty { nothingPendingBefore = head }
            return result
        }
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
        let touchesEffects = !outcome.effects.isEmpty || attestation.topic.hasPrefix("effect/")
        nothingPendingBefore = nothingPendingBefore == sequence && !touchesEffects ? sequence + 1 : nil
        report.steps.append(
            CoordinatedStep(sequence: sequence, attestation: attestation, origin: origin, outcome: outcome))

        guard let trigger = outcome.disposition.trigger, case .applied = outcome.disposition else { return }
        var requested: [(BuiltEffectRequest, ServerEffect)] = []
        for (offset, request) in outcome.effects.enumerated() {
            guard let effect = server.effect(named: request.name) else { continue }
            do {
                let built = try await builder.build(
                    request, index: offset + 1, trigger: trigger, sequence: sequence, instance: outcome.instance,
                    time: attestation.issuedAt)
                requested.append((built, effect))
            } catch {
                let requestID = BuiltEffectRequest.requestID(
                    instance: outcome.instance.id, sequence: sequence, effect: request.name, index: offset + 1)
                report.effects.append(
                    EffectRun(requestID: requestID, request: nil, result: .notBuilt(error.description)))
            }
        }
        guard execute else { return }
        // Every effect of the step runs first; then their outcomes are delivered in order, depth first.
        var outcomes: [(Attestation, String)] = []
        for (request, effect) in requested {
            outcomes += await run(request, of: effect, startedAt: attestation.issuedAt, into: &report)
        }
        try await deliverOutcomes(outcomes, into: &report)
    }

    private func deliverOutcomes(
        _ outcomes: [(Attestation, String)], into report: inout CoordinatedDelivery
    ) async throws(EngineError) {
        for (attestation, requestID) in outcomes {
            guard report.steps.count < maximumCascade else {
                report.cascadeCut =
                    "more than \(maximumCascade) deliveries from one attestation: effects keep requesting effects"
                return
            }
            try await process(
                attestation, now: attestation.issuedAt, origin: .effectOutcome(requestID: requestID), execute: true,
                into: &report)
        }
    }

    /// Executes one call and returns its signed outcome attestations with its request id, in delivery order.
    private func run(
        _ request: BuiltEffectRequest, of effect: ServerEffect, startedAt: UInt64,
        into report: inout CoordinatedDelivery
    ) async -> [(Attestation, String)] {
        let requestID = request.requestID
        inFlight.insert(requestID)
        defer { inFlight.remove(requestID) }
        let call: EffectCallOutcome
        do {
            call = try await executor.execute(request, of: effect, lease: lease, startedAt: startedAt) { [self] entry in
                await self.record(entry, requestID: requestID)
            }
        } catch let error as EffectExecutionError {
            report.effects.append(EffectRun(requestID: requestID, request: request, result: .refused(error)))
            return []
        } catch {
            report.effects.append(
                EffectRun(requestID: requestID, request: request, result: .interrupted(String(describing: error))))
            return []
        }
        let outcomes: [Attestation]
        do {
            outcomes = try OutcomeAttestations.attestations(
                of: call, request: request, retry: effect.retry, startedAt: startedAt, signer: identity)
        } catch {
            report.effects.append(
                EffectRun(requestID: requestID, request: request, result: .interrupted("signing the outcome: \(error)"))
            )
            return []
        }
        report.effects.append(
            EffectRun(requestID: requestID, request: request, result: .executed(call, outcomes: outcomes)))
        return outcomes.map { ($0, requestID) }
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
    public var request: BuiltEffectRequest?
    public var result: Result

    public var outcome: EffectCallOutcome? { if case .executed(let outcome, _) = result { outcome } else { nil } }
    public var outcomeAttestations: [Attestation] { if case .executed(_, let list) = result { list } else { [] } }
    public var refusal: EffectExecutionError? { if case .refused(let error) = result { error } else { nil } }
}

/// What `deliver`, `receive` and `resumePending` return: every step journaled, every effect call.
public struct CoordinatedDelivery: Sendable {
    public var steps: [CoordinatedStep] = []
    public var effects: [EffectRun] = []
    /// Set when the cascade of effect outcomes was cut at `maximumCascade` deliveries (the rest not delivered).
    public var cascadeCut: String?

    public init() {}
}

/// An effect requested by a journaled step, awaiting its final outcome attestation.
public struct PendingEffect: Sendable, Hashable {
    public var requestID: String
    /// The journal sequence of the requesting step.
    public var sequence: UInt64
    public var effect: ServerEffect
    public var request: BuiltEffectRequest
    /// The requesting step's attestation time, from which outcomes are dated.
    public var startedAt: UInt64
}

/// One effect journal record, with the call it belongs to.
public struct EffectJournalRecord: Sendable, Hashable {
    public var requestID: String
    public var entry: EffectJournalEntry
}
