import TokenScriptAttestation
import TokenScriptModel
import TokenScriptRuntime

/// What a simulated run costs, counted per delivery (documented in `TokenScripts/flight-ticket.tests/README.md`).
///
/// Reads: `verifications` (one signature/trust/history check per delivered attestation, refused ones
/// included) and `sandboxExecutions` (one per Lua transition that ran, one per effect request whose
/// `sl:request` or `sl:idempotency-key` has Lua). Writes: `journalEntries` (one per delivery),
/// `stateChanges` (deliveries after which the state name differs) and `outcomeAttestations` (effect outcomes
/// signed by the executor or the anchoring node). `requests`: HTTP attempts that would be sent (retries and
/// the anchor's attempt included), neither a read nor a write of ours.
public struct SimulationCost: Sendable, Hashable {
    public var verifications = 0
    public var sandboxExecutions = 0
    public var journalEntries = 0
    public var stateChanges = 0
    public var outcomeAttestations = 0
    public var requests = 0

    public init() {}

    public var reads: Int { verifications + sandboxExecutions }
    public var writes: Int { journalEntries + stateChanges + outcomeAttestations }

    public var value: SandboxValue {
        .object([
            "reads": .int(Int64(reads)), "writes": .int(Int64(writes)),
            "verifications": .int(Int64(verifications)), "sandboxExecutions": .int(Int64(sandboxExecutions)),
            "journalEntries": .int(Int64(journalEntries)), "stateChanges": .int(Int64(stateChanges)),
            "outcomeAttestations": .int(Int64(outcomeAttestations)), "requests": .int(Int64(requests)),
        ])
    }
}

/// One delivery of a simulated run: an input attestation or an effect outcome fed back.
public struct SimulatedDelivery: Sendable, Hashable {
    public var sequence: UInt64
    public var attestation: Attestation
    /// The `sl:issuer` name of the signer, when it is trusted for the topic.
    public var issuerName: String?
    /// `input` or `effect <name>`.
    public var source: String
    public var receivedAt: UInt64
    public var disposition: StepOutcome.Disposition
    public var fromState: String
    public var toState: String
    public var events: [EmittedEvent]
    /// The effect calls this step's transition requested (their outcomes follow as later deliveries).
    public var calls: [SimulatedEffectCall]
    /// Effects whose request could not be built (Lua error, missing `${env.NAME}`): never sent.
    public var requestErrors: [String]
    public var stateHash: String

    /// `applied`, `unmatched`, `failed`, `ignored`, `rejected`.
    public var outcomeKind: String { JournalEntry.Outcome(disposition).kind }

    /// Why nothing fired, or what failed.
    public var reason: String? {
        switch disposition {
        case .applied, .unmatched: nil
        case .failed(_, let message): message
        case .ignored(let rejection), .rejected(let rejection): "\(rejection.reason.code): \(rejection.message)"
        }
    }

    public var value: SandboxValue {
        var members: [String: SandboxValue] = [
            "sequence": .int(Int64(sequence)),
            "attestation": .object([
                "id": .string(attestation.id), "topic": .string(attestation.topic), "type": .string(attestation.type),
                "issuer": .string(issuerName ?? attestation.issuer.description), "issuedAt": .int(Int64(clamping: attestation.issuedAt)),
            ]),
            "source": .string(source),
            "outcome": .string(outcomeKind),
            "from": .string(fromState),
            "to": .string(toState),
            "events": .array(events.map { .object(["type": .string($0.type), "data": $0.data]) }),
            "stateHash": .string(stateHash),
        ]
        if let trigger = disposition.trigger { members["trigger"] = .string(trigger) }
        if let reason { members["reason"] = .string(reason) }
        if !calls.isEmpty {
            members["requests"] = .array(calls.map { call in
                guard case .object(var request) = call.request.value else { return .null }
                request["attempts"] = .array(call.attempts.map(\.value))
                if let refusal = call.refusal { request["refused"] = .string(refusal) }
                request["outcomes"] = .array(call.outcomes.map { outcome in
                    .object([
                        "id": .string(outcome.id), "type": .string(outcome.type), "issuedAt": .int(Int64(clamping: outcome.issuedAt)),
                        "payload": SandboxValue(outcome.payload),
                    ])
                })
                return .object(request)
            })
        }
        if !requestErrors.isEmpty { members["requestErrors"] = .array(requestErrors.map { .string($0) }) }
        return .object(members)
    }
}

/// Drives one instance through attestations with effects simulated (`EffectSimulation`): scenarios and dry
/// runs. The journal is kept in memory; nothing is sent anywhere.
///
/// A delivery whose transition requests effects is followed, depth first, by the deliveries of their
/// outcome attestations (which may request further effects), at most `maximumCascade` deliveries per input.
public struct Simulation: Sendable {
    public let machine: TokenStateMachine
    public let builder: EffectRequestBuilder
    public let effects: EffectSimulation
    public var responses: ResponseScript
    public private(set) var instance: TokenInstance
    public private(set) var journal: Journal
    public private(set) var cost = SimulationCost()
    public var maximumCascade = 64

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `definition` must already be `effects.prepare`d (the executor trusted, the anchor's key replaced).
    public init(
        definition: TokenDefinition, runtime: any ScriptRuntime, environment: [String: String], effects: EffectSimulation,
        responses: ResponseScript, instance: TokenInstance
    ) {
        self.machine = TokenStateMachine(definition: definition, runtime: runtime)
        self.builder = EffectRequestBuilder(server: definition.server, environment: environment, runtime: runtime)
        self.effects = effects
        self.responses = responses
        self.instance = instance
        self.journal = Journal(for: instance)
    }

    /// Delivers one input attestation at `now` and then every effect outcome it leads to.
    public mutating func deliver(_ attestation: Attestation, now: UInt64) async throws -> [SimulatedDelivery] {
        // The acceptance time, clamped to the attestation range so the journal holds what was used.
        let now = AcceptedInput(attestation, acceptedAt: now).acceptedAt
        var pending: [(Attestation, UInt64, String)] = [(attestation, now, "input")]
        var deliveries: [SimulatedDelivery] = []
        while !pending.isEmpty {
            guard deliveries.count < maximumCascade else {
                throw Failure(description: "more than \(maximumCascade) deliveries from one attestation: effects keep requesting effects")
            }
            let (next, time, source) = pending.removeFirst()
            let (delivery, outcomes) = try await deliverOne(next, now: time, source: source)
            deliveries.append(delivery)
            pending.insert(contentsOf: outcomes, at: 0)
        }
        return deliveries
    }

    private mutating func deliverOne(
        _ attestation: Attestation, now: UInt64, source: String
    ) async throws -> (SimulatedDelivery, [(Attestation, UInt64, String)]) {
        let before = instance
        let step = try await machine.apply(attestation, to: instance, now: now, history: journal)
        let sequence = journal.nextSequence
        journal.append(JournalEntry(sequence: sequence, receivedAt: now, attestation: attestation, step: step))
        instance = step.instance
        cost.verifications += 1
        cost.journalEntries += 1
        if before.state != instance.state { cost.stateChanges += 1 }
        if let name = step.disposition.trigger, let trigger = machine.definition.server.trigger(named: name),
            case .lua = trigger.transition
        {
            cost.sandboxExecutions += 1
        }

        var calls: [SimulatedEffectCall] = []
        var errors: [String] = []
        var outcomes: [(Attestation, UInt64, String)] = []
        if case .applied(let trigger) = step.disposition {
            for (index, request) in step.effects.enumerated() {
                guard let effect = machine.definition.server.effect(named: request.name) else { continue }
                if EffectRequestBuilder.runsLua(effect) { cost.sandboxExecutions += 1 }
                let built: BuiltEffectRequest
                do {
                    built = try await builder.build(
                        request, index: index + 1, trigger: trigger, sequence: sequence, instance: instance,
                        time: attestation.issuedAt)
                } catch {
                    errors.append(error.description)
                    continue
                }
                let call = try effects.simulate(built, effect: effect, responses: &responses, startedAt: attestation.issuedAt)
                cost.requests += call.refusal == nil ? call.attempts.count : 0
                cost.outcomeAttestations += call.outcomes.count
                calls.append(call)
                outcomes += call.outcomes.map { ($0, $0.issuedAt, "effect \(effect.name)") }
            }
        }
        let delivery = SimulatedDelivery(
            sequence: sequence, attestation: attestation, issuerName: machine.definition.issuerName(of: attestation),
            source: source, receivedAt: now, disposition: step.disposition, fromState: before.state, toState: instance.state,
            events: step.events, calls: calls, requestErrors: errors, stateHash: instance.stateHash)
        return (delivery, outcomes)
    }
}
