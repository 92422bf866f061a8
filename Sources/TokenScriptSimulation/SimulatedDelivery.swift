import TokenScriptAttestation
import TokenScriptEffects
import TokenScriptEngine
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
    /// What the transition's Lua wrote with `print` (shown by `--verbose` and `--json`; not in the snapshot).
    public var log: [String] = []
    /// A failed transition's message with its Lua positions mapped to document lines (`LuaMessageLocation`).
    public var failureLocation: LuaMessageLocation?
    /// `requestErrors`, their Lua positions mapped likewise.
    public var requestErrorLocations: [LuaMessageLocation] = []

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
                "issuer": .string(issuerName ?? attestation.issuer.description),
                "issuedAt": .int(Int64(clamping: attestation.issuedAt)),
            ]),
            "source": .string(source),
            "outcome": .string(outcomeKind),
            "from": .string(fromState),
            "to": .string(toState),
            "events": .array(events.map { .object(["type": .string($0.type), "data": $0.data]) }),
            "stateHash": .string(stateHash),
        ]
        if let trigger = disposition.trigger { members["trigger"] = .string(trigger) }
        // Lua positions as document lines without the file (`trigger t (document line 57):`), so a snapshot does
        // not change when the document moves.
        if let reason { members["reason"] = .string(failureLocation?.text(file: nil) ?? reason) }
        if !calls.isEmpty {
            members["requests"] = .array(
                calls.map { call in
                    guard case .object(var request) = call.request.value else { return .null }
                    request["attempts"] = .array(call.attempts.map(\.value))
                    if let refusal = call.refusal { request["refused"] = .string(refusal) }
                    request["outcomes"] = .array(
                        call.outcomes.map { outcome in
                            .object([
                                "id": .string(outcome.id), "type": .string(outcome.type),
                                "issuedAt": .int(Int64(clamping: outcome.issuedAt)),
                                "payload": SandboxValue(outcome.payload),
                            ])
                        })
                    return .object(request)
                })
        }
        if !requestErrors.isEmpty {
            let located = requestErrorLocations.count == requestErrors.count
            members["requestErrors"] = .array(
                requestErrors.indices.map {
                    .string(located ? requestErrorLocations[$0].text(file: nil) : requestErrors[$0])
                })
        }
        return .object(members)
    }
}

/// One attempt of a simulated call, as scenarios and dry runs show it.
public struct SimulatedAttempt: Sendable, Hashable {
    /// 1-based over the whole call, the anchor's attempt included.
    public var number: Int
    /// `executor` (this node) or `anchor` (the anchoring node's one routed attempt).
    public var route: String
    /// The backoff wait before this attempt, reported (a simulation never sleeps).
    public var waitMilliseconds: Int64
    public var response: ScriptedResponse
    /// False when no scripted response was left and the default answered.
    public var scripted: Bool

    /// The executor's attempts of `call` with the scripted `answers` they got (in order) and the waits before
    /// them: on the manual clock, the time between an attempt's end and the next one's start.
    public static func attempts(
        of call: EffectCallOutcome, answers: [ScriptedEffectTransport.Answer]
    ) -> [SimulatedAttempt] {
        var previousEnd: Int64?
        return call.attempts.enumerated().map { index, attempt in
            defer { previousEnd = attempt.ended }
            let answer = index < answers.count ? answers[index] : .init(response: .unreachable, scripted: false)
            return SimulatedAttempt(
                number: attempt.number, route: attempt.route == .anchor ? "anchor" : "executor",
                waitMilliseconds: previousEnd.map { attempt.started - $0 } ?? 0, response: answer.response,
                scripted: answer.scripted)
        }
    }

    public var value: SandboxValue {
        .object([
            "number": .int(Int64(number)), "route": .string(route), "waitMilliseconds": .int(waitMilliseconds),
            "response": response.notation, "scripted": .bool(scripted),
        ])
    }
}

/// A simulated effect call: the request, its attempts and the outcome attestations fed back to the instance.
public struct SimulatedEffectCall: Sendable, Hashable {
    public var request: BuiltEffectRequest
    public var attempts: [SimulatedAttempt]
    /// Signed `effect/<name>` attestations, in the order they are delivered.
    public var outcomes: [Attestation]

    /// Why the egress policy refused the request (then its one attempt is `refused` and nothing is sent).
    public var refusal: String? {
        if case .refused(let reason)? = attempts.first?.response { reason } else { nil }
    }
}
