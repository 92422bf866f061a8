import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptModel
import TokenScriptRuntime

/// Applies attestations to token instances: verify, pick the trigger, run its transition in the sandbox.
///
/// A pure function of (definition, instance, attestation, `now`, history) apart from the runtime call,
/// and that call runs in deterministic mode with a seed and a clock derived from the inputs; hence the
/// same inputs give the same next instance on every replica and on replay. The caller owns the history
/// and the journal (see `JournaledInstance`), so this type keeps no state.
public struct TokenStateMachine: Sendable {
    public let definition: TokenDefinition
    /// Where transitions run: the sandbox pool in production (any `ScriptRuntime`; the engine names none).
    public let runtime: any ScriptRuntime
    public var limits: SandboxLimits
    public var environment: TransitionEnvironment
    /// Ed25519 signatures checked already by whoever accepted the attestations (a node's `submit`), so a step
    /// does not check one again; nil checks every signature.
    public var signatures: VerifiedSignatures?

    public init(
        definition: TokenDefinition, runtime: any ScriptRuntime, limits: SandboxLimits = .init(),
        environment: TransitionEnvironment = .standard, signatures: VerifiedSignatures? = nil
    ) {
        self.definition = definition
        self.runtime = runtime
        self.limits = limits
        self.environment = environment
        self.signatures = signatures
    }

    /// One step. `now` is the input's acceptance time (Unix seconds; `AcceptedInput.acceptedAt`), fixed once
    /// when the input was accepted and journaled as `receivedAt`, never the clock of the machine applying it:
    /// used only for the expiry and not-yet-valid checks, so replicas and replay decide alike.
    public func apply(
        _ attestation: Attestation, to instance: TokenInstance, now: UInt64, history: some AttestationHistory
    ) async throws(EngineError) -> StepOutcome {
        let verified: VerifiedAttestation
        switch AttestationVerifier.verify(
            attestation, trust: definition.trust, now: now, seen: history, signatures: signatures)
        {
        case .failure(let rejection):
            return StepOutcome(
                disposition: rejection.isIgnorable ? .ignored(rejection) : .rejected(rejection), instance: instance,
                events: [], effects: [], verified: nil)
        case .success(let value):
            verified = value
        }

        var next = instance
        next.step += 1
        next.topicPositions[attestation.topic] = max(next.topicPositions[attestation.topic] ?? 0, attestation.issuedAt)
        let payload = SandboxValue(attestation.payload)
        guard let trigger = matchingTrigger(for: attestation, payload: payload, instance: instance) else {
            return StepOutcome(disposition: .unmatched, instance: next, events: [], effects: [], verified: verified)
        }
        var printed: [String] = []
        func failed(_ message: String) -> StepOutcome {
            StepOutcome(
                disposition: .failed(trigger: trigger.name, message: message), instance: next, events: [], effects: [],
                verified: verified, log: printed)
        }

        let result: TransitionProgram.Result
        switch trigger.transition {
        case .goto(let state):
            result = TransitionProgram.Result(state: state)
        case .lua(let source):
            var fields: [String: SandboxValue] = [
                "topic": .string(attestation.topic),
                "type": .string(attestation.type),
                "issuer": .string(definition.issuerName(of: attestation) ?? attestation.issuer.description),
                "time": .int(Int64(clamping: attestation.issuedAt)),
                "data": payload,
            ]
            // Effect outcomes read as ServerExtension.md promises: `event.status`, `event.attempts`,
            // `event.refused` (the egress policy's reason) and `event.data` = the response body (the rest of the
            // outcome payload is bookkeeping).
            // Attribute changes read as `event.name`, `event.old`, `event.new` (ServerExtension.md, Events).
            if attestation.topic.hasPrefix("attribute/"), case .object(let members) = payload {
                fields["name"] = .string(String(attestation.topic.dropFirst("attribute/".count)))
                fields["old"] = members["old"] ?? .null
                fields["new"] = members["new"] ?? .null
            }
            // Actions read as `event.data` = the holder's arguments and `event.holder` = the holder's key.
            if attestation.topic.hasPrefix(ActionInvocation.topicPrefix), case .object(let members) = payload {
                fields["data"] = members["arguments"] ?? .null
                fields["holder"] = members["holder"] ?? .null
            }
            if attestation.topic.hasPrefix("effect/"), case .object(let members) = payload {
                if let status = members["status"] { fields["status"] = status }
                if let attempts = members["attempts"] { fields["attempts"] = attempts }
                if let refused = members["refused"] { fields["refused"] = refused }
                fields["data"] = members["body"] ?? .null
            }
            let event: SandboxValue = .object(fields)
            let input = TransitionProgram.input(
                trigger: trigger.name, source: source, state: instance.state, event: event,
                attributes: instance.attributes, computed: definition.server.computed)
            let mode: SandboxMode =
                environment.confined
                ? .deterministic(
                    seed: environment.seed(instanceID: instance.id, step: next.step),
                    logicalTime: Int64(clamping: attestation.issuedAt).saturatingAdding(environment.clockOffset))
                : .nondeterministic
            let execution = SandboxExecution(
                source: TransitionProgram.prelude, input: input, limits: limits, mode: mode, hostFunctions: [.input])
            let run = await runtime.run(execution)
            printed = run.log
            switch run.status {
            case .ok:
                do {
                    result = try TransitionProgram.parse(run.value, server: definition.server)
                } catch {
                    return failed("trigger \(trigger.name): \(error.description)")
                }
            case .error:
                let message = run.message ?? "Lua error"
                return failed(TransitionProgram.documentLineMessage(message, trigger: trigger.name, source: source))
            case .limit where run.limit == .time:
                throw EngineError(.sandboxTimeLimit(trigger: trigger.name))
            case .limit:
                // Memory, instruction and output budgets trip at the same point on every replica.
                return failed("trigger \(trigger.name): \(run.limit?.rawValue ?? "") limit exceeded")
            case .crashed:
                throw EngineError(.workerCrashed(trigger: trigger.name, message: run.message ?? ""))
            }
        }

        if let state = result.state { next.state = state }
        for (name, value) in result.attributes { next.attributes[name] = value }
        return StepOutcome(
            disposition: .applied(trigger: trigger.name), instance: next, events: result.events,
            effects: result.effects,
            verified: verified, log: printed)
    }

    /// The first trigger, in document order, that fires in the instance's state for this attestation.
    ///
    /// `sl:on-attestation` matches topic pattern (`${name}` filled from the instance's attributes), type and
    /// filter. `sl:on-effect` matches an attestation of
    /// topic `effect/<effect>` whose type is the outcome (how an anchoring node's signed `failed` arrives),
    /// with `status=` checked against an integer `status` payload field. Schedules and attribute changes
    /// arrive as attestations too, signed by the hosting node (an issuer trusted for `schedule/*` or
    /// `attribute/*`): `schedule/<trigger>` of type `schedule`, checked against the schedule so an early
    /// tick fires nothing, and `attribute/<name>` of type `change` with `payload.old`/`payload.new`. Every
    /// replica then applies the same journaled input, so time and attribute changes replay like the rest.
    /// `sl:on-action` matches `action/<action>` of type `invoke` whose `payload.instance` is this instance: the
    /// holder's invocation as the accepting node signed it (`ActionInvocation`).
    func matchingTrigger(for attestation: Attestation, payload: SandboxValue, instance: TokenInstance) -> ServerTrigger?
    {
        guard let state = definition.server.state(named: instance.state) else { return nil }
        let triggers = definition.server.triggers
        return triggers.indices.first { index in
            let trigger = triggers[index]
            guard trigger.fires(in: state) else { return false }
            switch trigger.event {
            case .attestation(let on):
                // `${name}` in the topic is the instance's current value: another flight's status never matches.
                guard let topic = definition.attestationTopics[index]?.rendered(attributes: instance.attributes),
                    topic.matches(attestation.topic), on.type == nil || on.type == attestation.type
                else {
                    return false
                }
                guard let filter = on.filter else { return true }
                return PayloadFilter.matches(filter, payload: payload, attributes: instance.attributes)
            case .effectOutcome(let on):
                guard attestation.topic == "effect/" + on.effect, attestation.type == on.outcome.rawValue else {
                    return false
                }
                guard !on.statuses.isEmpty else { return true }
                guard case .int(let status)? = PayloadFilter.field("status", in: payload) else { return false }
                return on.statuses.contains { $0.matches(Int(clamping: status)) }
            case .schedule(let schedule):
                guard attestation.topic == "schedule/" + trigger.name, attestation.type == "schedule" else {
                    return false
                }
                return ScheduleCheck.isDue(schedule, at: attestation.issuedAt, attributes: instance.attributes)
            case .attributeChange(let name):
                return attestation.topic == "attribute/" + name && attestation.type == "change"
            case .action(let name):
                // Addressed to one instance: a misrouted invocation of another instance's action never fires.
                return attestation.topic == ActionInvocation.topic(of: name)
                    && attestation.type == ActionInvocation.type
                    && ActionInvocation.instance(in: payload) == instance.id
            }
        }.map { triggers[$0] }
    }
}
