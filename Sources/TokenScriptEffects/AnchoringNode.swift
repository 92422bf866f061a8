import Foundation
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine

/// A node the executor asks, once its retries ran out without reaching the API, to route the call itself.
///
/// The node sends the same request with the same idempotency key once and signs, with its own key, the
/// outcome attestation of topic `effect/<name>`: `failed` when its attempt failed too (timeout, no
/// connection, 5xx, 429), otherwise the API's answer (`success` or `error`). The executor's process never
/// holds the anchor's key: it only passes the signed statement on.
public protocol AnchoringNode: Sendable {
    /// Throws when the node cannot sign its statement; the call then stops there.
    func route(_ call: AnchorCall) async throws -> AnchorRouting
}

/// What the executor hands the anchoring node (only the executor builds one).
public struct AnchorCall: Sendable, Hashable {
    public var request: BuiltEffectRequest
    public var lease: ExecutorLease
    /// The attempt number the node's attempt gets (one after the executor's).
    public var number: Int
    /// The requesting step's time (Unix seconds) and the call's elapsed time before the node's attempt: the
    /// node's statement is dated from them (`OutcomeTime`), the same on every path.
    public var startedAt: UInt64
    public var elapsedMilliseconds: Int64

    /// For the executor, and for an anchoring node that receives the call over the network.
    public init(
        request: BuiltEffectRequest, lease: ExecutorLease, number: Int, startedAt: UInt64, elapsedMilliseconds: Int64
    ) {
        self.request = request
        self.lease = lease
        self.number = number
        self.startedAt = startedAt
        self.elapsedMilliseconds = elapsedMilliseconds
    }
}

/// What the anchoring node did.
public struct AnchorRouting: Sendable, Hashable {
    /// The node's attempt (route `.anchor`).
    public var attempt: EffectAttempt
    /// The node's signed outcome attestation.
    public var statement: Attestation

    public init(attempt: EffectAttempt, statement: Attestation) {
        self.attempt = attempt
        self.statement = statement
    }

    /// Whether its attempt failed too: read from the signed statement's type, so the executor acts on what
    /// the node signed and the two can never disagree.
    public var failed: Bool { statement.type == "failed" }
}

/// An anchoring node in this process, with its own transport and its own key (an issuer the definition
/// trusts for `effect/<name>`, see `ExecutorTrust.prepare`).
public struct LocalAnchoringNode: AnchoringNode {
    public let name: String
    private let signer: Ed25519AttestationSigner
    private let transport: any EffectTransport
    private let clock: any EffectClock

    public init(
        name: String, signer: Ed25519AttestationSigner, transport: any EffectTransport,
        clock: any EffectClock = SystemEffectClock()
    ) {
        self.name = name
        self.signer = signer
        self.transport = transport
        self.clock = clock
    }

    /// The key the definition must trust for this node.
    public var issuer: Issuer { signer.issuer }

    public func route(_ call: AnchorCall) async throws -> AnchorRouting {
        let started = clock.now()
        let result = await transport.perform(call.request)
        let attempt = EffectAttempt(
            number: call.number, route: .anchor, started: started, ended: clock.now(), result: result)
        let elapsed = OutcomeTime.adding(
            attempt, to: call.elapsedMilliseconds, timeoutMilliseconds: call.request.timeoutMilliseconds)
        let answer = EffectCallOutcome.deciding(result, attempts: [attempt])
        let statement = try OutcomeAttestations.sign(
            type: result.isRetryable ? "failed" : answer.eventType, request: call.request, attempts: call.number,
            status: result.status, body: result.body, refused: answer.refusal,
            issuedAt: OutcomeTime.issuedAt(startedAt: call.startedAt, elapsedMilliseconds: elapsed), signer: signer)
        return AnchorRouting(attempt: attempt, statement: statement)
    }
}
