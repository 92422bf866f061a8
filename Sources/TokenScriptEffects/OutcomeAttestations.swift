import Foundation
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime

/// Builds and signs effect outcome attestations: the one shape of the simulated and the live path, so the
/// same `sl:on-effect` triggers fire whether an outcome was scripted or really executed:
///
/// - id `effect-outcome/<requestId>/<type>`, topic `effect/<effect>`, type `success`, `error`, `timeout` or `failed`;
/// - payload `{status?, body?, refused?, requestId, idempotencyKey, attempts}` (`body`: the response body as JSON
///   when it parses as JSON, otherwise as a string; `refused`: why the egress policy refused the request, which
///   makes the `error` final — no anchor verdict follows).
public enum OutcomeAttestations {
    /// Signs one outcome attestation of `request` with `signer` (the executing node, or the anchoring node).
    public static func sign(
        type: String, request: BuiltEffectRequest, attempts: Int, status: Int?, body: Data?, refused: String? = nil,
        issuedAt: UInt64, signer: Ed25519AttestationSigner
    ) throws -> Attestation {
        var payload: [String: AttestationValue] = [
            "requestId": .string(request.requestID), "idempotencyKey": .string(request.idempotencyKey),
            "attempts": .integer(Int64(attempts)),
        ]
        if let status { payload["status"] = .integer(Int64(status)) }
        if let body, !body.isEmpty { payload["body"] = value(ofBody: body) }
        if let refused { payload["refused"] = .string(refused) }
        return try signer.sign(
            Attestation(
                id: "effect-outcome/\(request.requestID)/\(type)", topic: "effect/" + request.effect, type: type,
                issuer: signer.issuer, issuedAt: issuedAt, payload: .object(payload)))
    }

    /// The executing node's outcome attestations of `call`, then the anchoring node's statement if it routed
    /// the call: in the order they are delivered. `startedAt`: the requesting step's time (Unix seconds).
    public static func attestations(
        of call: EffectCallOutcome, request: BuiltEffectRequest, retry: RetryPolicy, startedAt: UInt64,
        signer: Ed25519AttestationSigner
    ) throws -> [Attestation] {
        let direct = call.attempts.filter { $0.route == .direct }
        guard let last = direct.last else { return call.anchorStatement.map { [$0] } ?? [] }
        // This node's own conclusion after its retries (before the anchor's verdict, if one follows).
        let own = EffectCallOutcome.deciding(last.result, attempts: direct)
        let elapsed = OutcomeTime.elapsedMilliseconds(
            of: direct, retry: retry, timeoutMilliseconds: request.timeoutMilliseconds)
        var result = [
            try sign(
                type: own.eventType, request: request, attempts: direct.count, status: own.status, body: own.body,
                refused: own.refusal,
                issuedAt: OutcomeTime.issuedAt(startedAt: startedAt, elapsedMilliseconds: elapsed),
                signer: signer)
        ]
        if let statement = call.anchorStatement { result.append(statement) }
        return result
    }

    /// Whether consuming `attestation` settles its effect's call: with anchor fallback, a `timeout`, or an
    /// `error` without status or with a retryable one (5xx, 429), that was not refused, is followed by the
    /// anchoring node's verdict.
    public static func settlesCall(_ attestation: Attestation, anchorFallback: Bool) -> Bool {
        guard anchorFallback, attestation.payload["refused"] == nil else { return true }
        switch attestation.type {
        case "timeout": return false
        case "error":
            guard case .integer(let status)? = attestation.payload["status"] else { return false }
            return !(status == 429 || (500...599).contains(status))
        default: return true
        }
    }

    /// A response body as a payload value: its JSON when it is JSON, else its text.
    public static func value(ofBody body: Data) -> AttestationValue {
        let text = String(decoding: body, as: UTF8.self)
        if let parsed = try? SandboxValue.parseJSON(text) { return attestationValue(parsed) }
        return .string(text)
    }

    /// A sandbox value as an attestation payload value (the one conversion). Attestations carry no fractions
    /// and no integers beyond ±(2^53 − 1): those become strings, so the outcome attestation stays valid.
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
