import Foundation
import TokenScriptCluster

/// A node the executor asks, once its retries ran out without reaching the API, to route the call itself.
///
/// The node sends the same request with the same idempotency key once. If that fails too, it returns an
/// `AnchorFailureStatement`: the content of the `effect/<name>` attestation of type `failed`. Signing is
/// not done here: the engine has the anchoring node's key (an issuer trusted for `effect/<name>`) sign
/// the statement and feeds the signed attestation back as the outcome event.
public protocol AnchoringNode: Sendable {
    /// Routes `request` once as attempt `number` on behalf of `lease`'s instance.
    func route(_ request: EffectRequest, lease: ExecutorLease, number: Int) async -> AnchorRouting
}

/// What the anchoring node did.
public struct AnchorRouting: Sendable, Hashable, Codable {
    /// The node's attempt (route `.anchor`).
    public var attempt: EffectAttempt
    /// Nil when the node got an answer from the API; otherwise what it will sign as `failed`.
    public var failure: AnchorFailureStatement?

    public init(attempt: EffectAttempt, failure: AnchorFailureStatement?) {
        self.attempt = attempt
        self.failure = failure
    }
}

/// The unsigned content of a `failed` outcome attestation, which the engine turns into a signed
/// attestation of topic `effect/<effect>` and type `failed`, issued by `node`.
public struct AnchorFailureStatement: Sendable, Hashable, Codable {
    /// The anchoring node's issuer name (as in `sl:trust`).
    public var node: String
    public var instance: String
    public var effect: String
    public var idempotencyKey: String
    /// `effect/<effect>`.
    public var topic: String
    /// Always `failed`.
    public var type: String
    /// The node's own attempt result, in words: `timeout`, `connection failed: …`, `HTTP 503`.
    public var reason: String
    /// Every attempt, the node's included.
    public var attempts: Int
    /// From the node's clock.
    public var time: Int64

    public init(
        node: String, instance: String, effect: String, idempotencyKey: String, reason: String, attempts: Int,
        time: Int64
    ) {
        self.node = node
        self.instance = instance
        self.effect = effect
        self.idempotencyKey = idempotencyKey
        self.topic = "effect/" + effect
        self.type = "failed"
        self.reason = reason
        self.attempts = attempts
        self.time = time
    }
}

/// An anchoring node in this process, with its own transport.
///
/// Its attempt counts as failed when it times out, fails to connect, or gets a `5xx` or `429` (the statuses
/// a retry would have been for); a `2xx` or another status is the API's answer and is returned as such.
public struct LocalAnchoringNode: AnchoringNode {
    public var name: String
    private let transport: any EffectTransport
    private let clock: any EffectClock

    public init(name: String, transport: any EffectTransport, clock: any EffectClock = SystemEffectClock()) {
        self.name = name
        self.transport = transport
        self.clock = clock
    }

    public func route(_ request: EffectRequest, lease: ExecutorLease, number: Int) async -> AnchorRouting {
        let started = clock.now()
        let result = await transport.perform(request)
        let attempt = EffectAttempt(number: number, route: .anchor, started: started, ended: clock.now(), result: result)
        guard result.isRetryable else { return AnchorRouting(attempt: attempt, failure: nil) }
        let reason: String
        switch result {
        case .timeout: reason = "timeout"
        case .connectionFailed(let message): reason = "connection failed: \(message)"
        case .refused(let message): reason = message
        case .error(let status, _), .success(let status, _): reason = "HTTP \(status)"
        }
        let failure = AnchorFailureStatement(
            node: name, instance: lease.instance, effect: request.effect, idempotencyKey: request.idempotencyKey,
            reason: reason, attempts: number, time: attempt.ended)
        return AnchorRouting(attempt: attempt, failure: failure)
    }
}
