import Foundation
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime

/// Builds and signs effect outcome attestations in the shape `EffectSimulation` uses, so the same
/// `sl:on-effect` triggers fire whether an outcome was simulated or really executed:
///
/// - id `effect-outcome/<requestId>/<type>`, topic `effect/<effect>`, type `success`, `error`, `timeout` or `failed`;
/// - payload `{status?, body?, refused?, requestId, idempotencyKey, attempts}` (`body`: the response body as JSON
///   when it parses as JSON, otherwise as a string; `refused`: why the egress policy refused the request, which
///   makes the `error` final — no anchor verdict follows).
public enum OutcomeAttestations {
    /// Signs one outcome attestation with `signer` (this executing node, or the anchoring node).
    public static func sign(
        type: String, effect: String, requestID: String, idempotencyKey: String, attempts: Int, status: Int?,
        body: Data?, refused: String? = nil, issuedAt: UInt64, signer: Ed25519AttestationSigner
    ) throws -> Attestation {
        var payload: [String: AttestationValue] = [
            "requestId": .string(requestID), "idempotencyKey": .string(idempotencyKey),
            "attempts": .integer(Int64(attempts)),
        ]
        if let status { payload["status"] = .integer(Int64(status)) }
        if let body, !body.isEmpty { payload["body"] = value(ofBody: body) }
        if let refused { payload["refused"] = .string(refused) }
        return try signer.sign(
            Attestation(
                id: "effect-outcome/\(requestID)/\(type)", topic: "effect/" + effect, type: type, issuer: signer.issuer,
                issuedAt: issuedAt, payload: .object(payload)))
    }

    /// A response body as a payload value: its JSON when it is JSON, else its text.
    public static func value(ofBody body: Data) -> AttestationValue {
        let text = String(decoding: body, as: UTF8.self)
        if let parsed = try? SandboxValue.parseJSON(text) { return attestationValue(parsed) }
        return .string(text)
    }

    /// A sandbox value as an attestation payload value. Attestations carry no fractions and no integers
    /// beyond ±(2^53 − 1): those become strings (as the engine's simulation does).
    public static func attestationValue(_ value: SandboxValue) -> AttestationValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number):
            (-AttestationValue.maximumInteger...AttestationValue.maximumInteger).contains(number)
                ? .integer(number) : .string(String(number))
        case .double(let number): .string(String(number))
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(attestationValue))
        case .object(let members): .object(members.mapValues(attestationValue))
        }
    }
}

/// An anchoring node in this process that also holds its own Ed25519 key: it routes the call once (through
/// `LocalAnchoringNode` and its own transport) and signs what the executor cannot sign for it — the
/// `failed` attestation made from its `AnchorFailureStatement`, or the outcome of a call it routed successfully.
///
/// Its key must be the one the definition trusts for `effect/<name>` under `name` (see `ExecutorTrust.prepare`).
public struct SigningAnchoringNode: AnchoringNode {
    public let name: String
    public let signer: Ed25519AttestationSigner
    private let node: LocalAnchoringNode

    public init(
        name: String, signer: Ed25519AttestationSigner, transport: any EffectTransport,
        clock: any EffectClock = SystemEffectClock()
    ) {
        self.name = name
        self.signer = signer
        self.node = LocalAnchoringNode(name: name, transport: transport, clock: clock)
    }

    public func route(_ request: TokenScriptEffects.EffectRequest, lease: ExecutorLease, number: Int) async -> AnchorRouting {
        await node.route(request, lease: lease, number: number)
    }

    /// The signed `failed` attestation of `statement` (the anchor's own attempt failed too).
    public func signFailure(
        _ statement: AnchorFailureStatement, requestID: String, status: Int?, issuedAt: UInt64
    ) throws -> Attestation {
        try OutcomeAttestations.sign(
            type: statement.type, effect: statement.effect, requestID: requestID,
            idempotencyKey: statement.idempotencyKey, attempts: statement.attempts, status: status, body: nil,
            issuedAt: issuedAt, signer: signer)
    }

    /// The signed outcome of a call the anchor routed and the API answered.
    public func signOutcome(
        _ outcome: EffectCallOutcome, effect: String, requestID: String, idempotencyKey: String, issuedAt: UInt64
    ) throws -> Attestation {
        try OutcomeAttestations.sign(
            type: outcome.eventType, effect: effect, requestID: requestID, idempotencyKey: idempotencyKey,
            attempts: outcome.attempts.count, status: outcome.status, body: outcome.body, issuedAt: issuedAt,
            signer: signer)
    }
}

/// Which keys a definition must trust for effect outcomes to be accepted.
public enum ExecutorTrust {
    /// `server` with each executing node trusted (Ed25519) for every effect's outcome topic under its name,
    /// appended after the document's issuers, and the anchoring issuer of each effect with anchor fallback
    /// (`EffectSimulation.anchorIssuer`) given `anchor`'s key. Every node of a deployment prepares the
    /// definition the same way, so all of them accept the same outcome attestations.
    public static func prepare(
        _ server: ServerExtension, executors: [(name: String, key: Issuer)], anchor: Issuer?
    ) -> ServerExtension {
        var copy = server
        if let anchor {
            for effect in server.effects {
                guard let name = EffectSimulation.anchorIssuer(for: effect, in: server),
                    let index = copy.issuers.firstIndex(where: { $0.name == name })
                else { continue }
                copy.issuers[index].scheme = .ed25519
                copy.issuers[index].key = anchor.key
            }
        }
        let topics = server.effects.map { TopicPattern($0.outcomeTopic) }
        guard !topics.isEmpty else { return copy }
        for executor in executors {
            copy.issuers.removeAll { $0.name == executor.name }
            copy.issuers.append(TrustedIssuer(name: executor.name, scheme: .ed25519, key: executor.key.key, topics: topics))
        }
        return copy
    }
}
