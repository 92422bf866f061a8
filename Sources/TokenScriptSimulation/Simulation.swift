import TokenScriptAttestation
import TokenScriptEffects
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptExecutor
import TokenScriptCluster
import TokenScriptModel
import TokenScriptRuntime

/// Drives one instance through attestations on the live effect path with scripted answers: scenarios and
/// dry runs. The journal is kept in memory; nothing is sent anywhere.
///
/// The instance is a `JournaledInstance` and its effects run through `EffectCoordinator` and
/// `EffectExecutor` (retries and backoff, the anchor fallback, outcome attestations: one implementation),
/// over a `ScriptedEffectTransport` and a `ManualClock` that backoff waits advance. The executing node signs
/// as issuer `executor` with `executor`'s key; the anchoring node (`LocalAnchoringNode`) signs its own
/// statements with `anchor`'s key, which `ExecutorTrust.prepare` puts in place of the document's.
public struct Simulation: Sendable {
    public static let executorIssuerName = ExecutorTrust.defaultExecutorName
    /// Fixed default keys, so simulated runs (and their snapshots) are reproducible.
    public static let defaultExecutorSeed: [UInt8] = Array(repeating: 0x55, count: 32)
    public static let defaultAnchorSeed: [UInt8] = Array(repeating: 0x66, count: 32)

    public let definition: TokenDefinition
    public let instance: JournaledInstance
    public let coordinator: EffectCoordinator
    public let transport: ScriptedEffectTransport
    public let clock: ManualClock
    public private(set) var cost = SimulationCost()

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `server` prepared for a simulated deployment: `executor` trusted under `executorIssuerName`, the
    /// anchoring issuers given `anchor`'s key (`ExecutorTrust.prepare`, as every live node prepares it).
    public static func prepare(
        _ server: ServerExtension, executor: Ed25519AttestationSigner, anchor: Ed25519AttestationSigner
    ) -> ServerExtension {
        ExecutorTrust.prepare(server, executors: [(executorIssuerName, executor.issuer.key)], anchor: anchor.issuer.key)
    }

    /// `definition` must already be `prepare`d with the same keys. `journalSigner` signs every journal line
    /// (nil: an unsigned journal).
    public init(
        definition: TokenDefinition, runtime: any ScriptRuntime, environment: [String: String],
        executor: Ed25519AttestationSigner, anchor: Ed25519AttestationSigner, egress: EgressPolicy = .default,
        responses: ResponseScript, instance: TokenInstance, journalSigner: JournalSigner? = nil
    ) async {
        self.definition = definition
        let clock = ManualClock()
        let transport = ScriptedEffectTransport(responses: responses, egress: egress, clock: clock)
        let leases = InMemoryLeaseAuthority()
        let lease = leases.acquire(instance.id)
        let anchorNode = LocalAnchoringNode(name: "anchor", signer: anchor, transport: transport, clock: clock)
        let effects = EffectExecutor(
            transport: transport, leases: leases, sleeper: clock, clock: clock, anchor: anchorNode)
        let journaled = JournaledInstance(
            machine: TokenStateMachine(definition: definition, runtime: runtime), instance: instance,
            signer: journalSigner)
        self.clock = clock
        self.transport = transport
        self.instance = journaled
        self.coordinator = await EffectCoordinator(
            instance: journaled, identity: executor, lease: lease, executor: effects, environment: environment,
            runtime: runtime)
    }

    /// The instance now.
    public var current: TokenInstance { get async { await instance.instance } }

    /// The journal so far.
    public var journal: Journal { get async throws(EngineError) { try await instance.journal() } }

    /// Delivers one input attestation at `now` and then every effect outcome it leads to.
    public mutating func deliver(_ attestation: Attestation, now: UInt64) async throws -> [SimulatedDelivery] {
        var previous = await instance.instance
        let report = try await coordinator.deliver(attestation, now: now)
        if let cut = report.cascadeCut { throw Failure(description: cut) }
        // Only this delivery's entries, read once: the journal before them was read by earlier deliveries.
        let first = report.steps.first?.sequence ?? UInt64.max
        var acceptedAt: [UInt64: UInt64] = [:]
        for entry in try await instance.journalEntries(from: first) { acceptedAt[entry.sequence] = entry.receivedAt }
        var deliveries: [SimulatedDelivery] = []
        for step in report.steps {
            let after = step.outcome.instance
            let receivedAt = acceptedAt[step.sequence] ?? now
            deliveries.append(try delivery(of: step, receivedAt: receivedAt, before: previous, effects: report.effects))
            previous = after
        }
        return deliveries
    }

    private mutating func delivery(
        of step: CoordinatedStep, receivedAt: UInt64, before: TokenInstance, effects: [EffectRun]
    ) throws -> SimulatedDelivery {
        let outcome = step.outcome
        cost.verifications += 1
        cost.journalEntries += 1
        if before.state != outcome.instance.state { cost.stateChanges += 1 }
        if let name = outcome.disposition.trigger, let trigger = definition.server.trigger(named: name),
            case .lua = trigger.transition
        {
            cost.sandboxExecutions += 1
        }
        var calls: [SimulatedEffectCall] = []
        var errors: [String] = []
        if case .applied = outcome.disposition {
            for (index, request) in outcome.effects.enumerated() {
                guard let effect = definition.server.effect(named: request.name) else { continue }
                if EffectRequestBuilder.runsLua(effect) { cost.sandboxExecutions += 1 }
                let requestID = BuiltEffectRequest.requestID(
                    instance: outcome.instance.id, sequence: step.sequence, effect: effect.name, index: index + 1)
                guard let run = effects.first(where: { $0.requestID == requestID }) else { continue }
                switch run.result {
                case .notBuilt(let message):
                    errors.append(message)
                case .refused(let error):
                    throw Failure(description: error.description)
                case .interrupted(let message):
                    throw Failure(description: message)
                case .executed(let call, let outcomes):
                    guard let request = run.request else { continue }
                    let simulated = SimulatedEffectCall(
                        request: request,
                        attempts: SimulatedAttempt.attempts(of: call, answers: transport.answers(for: requestID)),
                        outcomes: outcomes)
                    cost.requests += simulated.refusal == nil ? simulated.attempts.count : 0
                    cost.outcomeAttestations += outcomes.count
                    calls.append(simulated)
                }
            }
        }
        let origin: String
        switch step.origin {
        case .delivered: origin = "input"
        case .effectOutcome: origin = "effect " + String(step.attestation.topic.dropFirst("effect/".count))
        }
        return SimulatedDelivery(
            sequence: step.sequence, attestation: step.attestation,
            issuerName: definition.issuerName(of: step.attestation),
            source: origin, receivedAt: receivedAt, disposition: outcome.disposition,
            fromState: before.state, toState: outcome.instance.state, events: outcome.events, calls: calls,
            requestErrors: errors, stateHash: outcome.instance.stateHash, log: outcome.log,
            failureLocation: outcome.disposition.failureMessage.map(definition.server.locatingLua(in:)),
            requestErrorLocations: errors.map(definition.server.locatingLua(in:)))
    }
}
