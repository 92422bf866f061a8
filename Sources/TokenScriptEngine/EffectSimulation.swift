import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptEgress
import TokenScriptModel
import TokenScriptRuntime

/// The scripted answer to one attempt of an effect's request (scenarios and dry runs).
///
/// Notation (JSON): `"timeout"`, `"unreachable"` (no connection), `"success"` (= 200, no body), `"error"`
/// (= 500), a bare status `503`, or `{"status": 201, "body": …}` (`body`: any JSON; absent = no body).
public enum ScriptedResponse: Sendable, Hashable, CustomStringConvertible {
    case status(Int, body: SandboxValue?)
    case timeout
    case unreachable
    /// Not scripted: the egress policy refused the request, so nothing would be sent (the real transport's
    /// `refused` result). Notation `{"refused": reason}`.
    case refused(String)

    public static let defaultSuccess = ScriptedResponse.status(200, body: nil)

    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(notation value: SandboxValue, path: String) throws(Invalid) {
        switch value {
        case .string("timeout"): self = .timeout
        case .string("unreachable"): self = .unreachable
        case .string("success"): self = .defaultSuccess
        case .string("error"): self = .status(500, body: nil)
        case .int(let status) where (100...599).contains(status): self = .status(Int(status), body: nil)
        case .object(let members):
            for key in members.keys.sorted() where key != "status" && key != "body" {
                throw Invalid(description: "\(path): unknown field \"\(key)\" (expected status, body)")
            }
            guard case .int(let status)? = members["status"], (100...599).contains(status) else {
                throw Invalid(description: "\(path): status must be an HTTP status (100-599)")
            }
            self = .status(Int(status), body: members["body"])
        default:
            throw Invalid(
                description: "\(path): expected \"timeout\", \"unreachable\", \"success\", \"error\", a status or {status, body}, not \(value.jsonText)")
        }
    }

    /// Back to the notation (what snapshots and `--json` show).
    public var notation: SandboxValue {
        switch self {
        case .timeout: .string("timeout")
        case .unreachable: .string("unreachable")
        case .refused(let reason): .object(["refused": .string(reason)])
        case .status(let status, let body):
            body == nil ? .int(Int64(status)) : .object(["status": .int(Int64(status)), "body": body!])
        }
    }

    public var isSuccess: Bool { if case .status(let status, _) = self { (200..<300).contains(status) } else { false } }

    /// Retried by `sl:retry`: timeouts, connection failures, 5xx and 429.
    public var isRetryable: Bool {
        switch self {
        case .timeout, .unreachable: true
        case .status(let status, _): status >= 500 || status == 429
        case .refused: false
        }
    }

    public var description: String {
        switch self {
        case .timeout: "timeout"
        case .unreachable: "unreachable"
        case .refused: "refused"
        case .status(let status, let body): body.map { "\(status) \($0.jsonText)" } ?? "\(status)"
        }
    }
}

/// Scripted responses per effect name, consumed attempt by attempt (the anchor's attempt included), in the
/// order the calls happen. When an effect's list is exhausted, `fallback` answers (200, no body).
public struct ResponseScript: Sendable, Hashable {
    public var queues: [String: [ScriptedResponse]]
    public var fallback: ScriptedResponse

    public init(queues: [String: [ScriptedResponse]] = [:], fallback: ScriptedResponse = .defaultSuccess) {
        self.queues = queues
        self.fallback = fallback
    }

    /// `{"<effect>": [response, …]}` (a single response may stand without the list).
    public init(notation value: SandboxValue, path: String) throws(ScriptedResponse.Invalid) {
        self.init()
        try append(notation: value, path: path)
    }

    /// Appends more responses (a scenario step's `responses`) behind the ones still queued.
    public mutating func append(notation value: SandboxValue, path: String) throws(ScriptedResponse.Invalid) {
        guard let members = value.objectMembers else {
            throw ScriptedResponse.Invalid(description: "\(path): expected {\"<effect>\": [responses]}")
        }
        for name in members.keys.sorted() {
            let items: [SandboxValue]
            if case .array(let list) = members[name]! { items = list } else { items = [members[name]!] }
            for (index, item) in items.enumerated() {
                queues[name.string, default: []].append(try ScriptedResponse(notation: item, path: "\(path).\(name)[\(index)]"))
            }
        }
    }

    /// The next response for `effect`, and whether it was scripted (false: the fallback).
    public mutating func next(for effect: String) -> (response: ScriptedResponse, scripted: Bool) {
        guard var queue = queues[effect], !queue.isEmpty else { return (fallback, false) }
        let response = queue.removeFirst()
        queues[effect] = queue
        return (response, true)
    }
}

/// One attempt of a simulated call.
public struct EffectAttempt: Sendable, Hashable {
    /// 1-based over the whole call, the anchor's attempt included.
    public var number: Int
    /// `executor` (this node) or `anchor` (the anchoring node's one routed attempt).
    public var route: String
    /// The backoff wait before this attempt, reported (a simulation never sleeps).
    public var waitMilliseconds: Int64
    public var response: ScriptedResponse
    /// False when no scripted response was left and the default answered.
    public var scripted: Bool

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
    public var attempts: [EffectAttempt]
    /// Signed `effect/<name>` attestations, in the order they are delivered.
    public var outcomes: [Attestation]

    /// Why the egress policy refused the request (then its one attempt is `refused` and nothing is sent).
    public var refusal: String? {
        if case .refused(let reason)? = attempts.first?.response { reason } else { nil }
    }
}

/// The simulation of the effect executor (and of the anchoring node) used by scenarios and dry runs.
///
/// The engine consumes effect outcomes as attestations of topic `effect/<name>` whose type is the outcome
/// (`success`, `timeout`, `error`, `failed`), with payload `{status?, body?, refused?, requestId, idempotencyKey,
/// attempts}`. Here they are produced from scripted responses instead of the network:
///
/// - the executor node makes attempt 1, then up to `sl:retry retries=` more while the response is retryable
///   (timeout, no connection, 5xx, 429), each after the `RetryPolicy` wait, which is reported, not slept;
/// - a 2xx ends the call with `success`; a non-retryable status with `error` (+ `status`); when the attempts
///   are exhausted the last one decides: `error` with its status, `error` without status (no connection), or
///   `timeout`. These are signed by the **executor** key (Ed25519), an issuer named `executor` that
///   `prepare` adds to the definition, trusted for `effect/<name>` of every effect;
/// - with `sl:fallback anchor="true"`, after a final timeout or connection failure the anchoring node gets one
///   more scripted response: a 2xx gives `success` signed by the anchor, anything else `failed` signed by the
///   anchor. The anchoring node is the first document issuer trusted for `effect/<name>`; `prepare` replaces
///   its key by the simulation's `anchor` key (Ed25519), as tests replace the airline's key.
///
/// Simulated time: an attempt that times out takes the effect's `timeout=`; answered attempts take no time;
/// waits add up. An outcome's `issuedAt` is the requesting step's time plus the elapsed time, rounded up to
/// whole seconds. Outcome ids are `effect-outcome/<requestId>/<type>`. The real executor (TokenScriptEffects)
/// can feed the engine the same shape.
///
/// Egress: before any attempt the request's URL is checked by `egress` (without DNS:
/// `EgressPolicy.checkWithoutResolving`), as the real transport checks it. A refused request has one
/// `refused` attempt that consumes no scripted response and is not retried or routed to the anchor, and
/// ends in `error` without status and with `refused: <reason>` in the payload, signed by the executor — what
/// the real executor reports (so `sl:on-effect` Lua can tell a refusal from an unreachable API).
public struct EffectSimulation: Sendable {
    public static let executorIssuerName = "executor"
    /// Fixed default keys, so simulated runs (and their snapshots) are reproducible.
    public static let defaultExecutorSeed: [UInt8] = Array(repeating: 0x55, count: 32)
    public static let defaultAnchorSeed: [UInt8] = Array(repeating: 0x66, count: 32)

    public let executor: Ed25519AttestationSigner
    public let anchor: Ed25519AttestationSigner
    /// Where requests may go; the operator's `--allow-egress` / `--allow-http` widen it.
    public var egress: EgressPolicy

    public init(executor: Ed25519AttestationSigner, anchor: Ed25519AttestationSigner, egress: EgressPolicy = .default) {
        self.executor = executor
        self.anchor = anchor
        self.egress = egress
    }

    public init(egress: EgressPolicy = .default) {
        self.init(
            executor: try! Ed25519AttestationSigner(seed: Self.defaultExecutorSeed),
            anchor: try! Ed25519AttestationSigner(seed: Self.defaultAnchorSeed), egress: egress)
    }

    /// The anchoring issuer's name for `effect` (nil without anchor fallback or without such an issuer).
    public static func anchorIssuer(for effect: ServerEffect, in server: ServerExtension) -> String? {
        guard effect.anchorFallback else { return nil }
        return server.issuers.first { issuer in
            issuer.name != executorIssuerName && issuer.topics.contains { $0.matches(effect.outcomeTopic) }
        }?.name
    }

    /// `server` with the executor trusted for every effect's outcome topic (and for `schedule/*` and
    /// `attribute/*` when triggers need them) and every anchoring issuer's key replaced by `anchor`'s.
    public func prepare(_ server: ServerExtension) -> ServerExtension {
        var copy = server
        for effect in server.effects {
            guard let name = Self.anchorIssuer(for: effect, in: server),
                let index = copy.issuers.firstIndex(where: { $0.name == name })
            else { continue }
            copy.issuers[index].scheme = .ed25519
            copy.issuers[index].key = anchor.issuer.key
        }
        var topics = server.effects.map { TopicPattern($0.outcomeTopic) }
        // The hosting node also signs the clock's and attribute watchers' inputs (see `TokenStateMachine`).
        if server.triggers.contains(where: { if case .schedule = $0.event { true } else { false } }) {
            topics.append(TopicPattern("schedule/*"))
        }
        if server.triggers.contains(where: { if case .attributeChange = $0.event { true } else { false } }) {
            topics.append(TopicPattern("attribute/*"))
        }
        if !topics.isEmpty {
            copy.issuers.removeAll { $0.name == Self.executorIssuerName }
            copy.issuers.append(
                TrustedIssuer(name: Self.executorIssuerName, scheme: .ed25519, key: executor.issuer.key, topics: topics))
        }
        return copy
    }

    /// Runs one call against the scripted responses. `startedAt`: the requesting step's time (Unix seconds).
    public func simulate(
        _ request: BuiltEffectRequest, effect: ServerEffect, responses: inout ResponseScript, startedAt: UInt64
    ) throws -> SimulatedEffectCall {
        var attempts: [EffectAttempt] = []
        var elapsed: Int64 = 0
        var outcomes: [Attestation] = []
        func outcome(_ type: String, _ response: ScriptedResponse?, signer: Ed25519AttestationSigner) throws {
            var payload: [String: AttestationValue] = [
                "requestId": .string(request.requestID), "idempotencyKey": .string(request.idempotencyKey),
                "attempts": .integer(Int64(attempts.count)),
            ]
            if case .refused(let reason)? = response { payload["refused"] = .string(reason) }
            if case .status(let status, let body)? = response {
                payload["status"] = .integer(Int64(status))
                if let body { payload["body"] = AttestationValue(sandbox: body) }
            }
            // Saturating, and kept within what an attestation may carry: huge timeouts and backoffs make a
            // late outcome, never a wrapped-around early one.
            let seconds = UInt64(max(elapsed, 0).saturatingAdding(999) / 1000)
            let time = min(startedAt.saturatingAdding(seconds), UInt64(AttestationValue.maximumInteger))
            outcomes.append(
                try signer.sign(
                    Attestation(
                        id: "effect-outcome/\(request.requestID)/\(type)", topic: effect.outcomeTopic, type: type,
                        issuer: signer.issuer, issuedAt: time, payload: .object(payload))))
        }
        func attempt(route: String, wait: Int64) -> ScriptedResponse {
            elapsed = elapsed.saturatingAdding(max(wait, 0))
            let (response, scripted) = responses.next(for: effect.name)
            attempts.append(
                EffectAttempt(number: attempts.count + 1, route: route, waitMilliseconds: wait, response: response, scripted: scripted))
            if response == .timeout { elapsed = elapsed.saturatingAdding(effect.timeout.milliseconds) }
            return response
        }

        do {
            _ = try egress.checkWithoutResolving(url: request.url)
        } catch {
            attempts.append(
                EffectAttempt(number: 1, route: "executor", waitMilliseconds: 0, response: .refused(error.reason), scripted: false))
            try outcome("error", .refused(error.reason), signer: executor)
            return SimulatedEffectCall(request: request, attempts: attempts, outcomes: outcomes)
        }
        var last = attempt(route: "executor", wait: 0)
        var retry = 0
        while !last.isSuccess, last.isRetryable, retry < effect.retry.retries {
            retry += 1
            last = attempt(route: "executor", wait: effect.retry.delayMilliseconds(beforeRetry: retry))
        }
        switch last {
        case .status where last.isSuccess:
            try outcome("success", last, signer: executor)
        case .status:
            try outcome("error", last, signer: executor)
        case .timeout:
            try outcome("timeout", nil, signer: executor)
        case .unreachable, .refused:
            try outcome("error", nil, signer: executor)
        }
        // As the real executor: retries exhausted on a retryable failure, the anchoring node routes once.
        if effect.anchorFallback, !last.isSuccess, last.isRetryable {
            let routed = attempt(route: "anchor", wait: 0)
            if routed.isSuccess {
                try outcome("success", routed, signer: anchor)
            } else {
                try outcome("failed", routed, signer: anchor)
            }
        }
        return SimulatedEffectCall(request: request, attempts: attempts, outcomes: outcomes)
    }
}

extension AttestationValue {
    /// A sandbox value as an attestation payload value. Attestations carry no fractions and no integers
    /// beyond ±(2^53 − 1): those become strings, so the outcome attestation stays valid.
    init(sandbox value: SandboxValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number):
            self = (-AttestationValue.maximumInteger...AttestationValue.maximumInteger).contains(number) ? .integer(number) : .string(String(number))
        case .double(let number): self = .string(String(number))
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(AttestationValue.init(sandbox:)))
        case .object(let members): self = .object(members.mapValues(AttestationValue.init(sandbox:)))
        }
    }
}
