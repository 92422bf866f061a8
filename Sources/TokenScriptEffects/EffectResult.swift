import Foundation
import TokenScriptAttestation
import TokenScriptModel

/// What one attempt got back.
public enum EffectResult: Sendable, Hashable, Codable {
    /// A `2xx` response.
    case success(status: Int, body: Data)
    /// Any other response (a `3xx` too: redirects are not followed).
    case error(status: Int, body: Data)
    /// No complete response within the attempt's timeout.
    case timeout
    /// No response at all: refused, reset, closed, host not found, or a body over the size cap.
    case connectionFailed(String)
    /// Nothing was sent: the egress policy or the header rules refused the request (the reason says why).
    /// Final, like a 4xx: retrying cannot change the answer, and the anchor is not asked to go round it.
    case refused(String)

    /// The response's HTTP status, if there was a response.
    public var status: Int? {
        switch self {
        case .success(let status, _), .error(let status, _): status
        case .timeout, .connectionFailed, .refused: nil
        }
    }

    /// The response body, if there was a response.
    public var body: Data? {
        switch self {
        case .success(_, let body), .error(_, let body): body
        case .timeout, .connectionFailed, .refused: nil
        }
    }

    /// The retry rule of `RetryPolicy`: retry after a timeout, a connection error, a `5xx` or a `429`;
    /// other statuses are final.
    public var isRetryable: Bool {
        switch self {
        case .success: false
        case .error(let status, _): status == 429 || (500...599).contains(status)
        case .timeout, .connectionFailed: true
        case .refused: false
        }
    }

    /// Whether the call never reached an answer from the API (what sends it to the anchoring node).
    public var isUnreachable: Bool {
        switch self {
        case .timeout, .connectionFailed: true
        case .success, .error, .refused: false
        }
    }
}

/// One attempt of an effect call, as journaled.
public struct EffectAttempt: Sendable, Hashable, Codable {
    /// Who sent it: this executor, or the anchoring node after the retries ran out.
    public enum Route: String, Sendable, Hashable, Codable {
        case direct
        case anchor
    }

    /// 1-based, counting the anchor's attempt after the executor's.
    public var number: Int
    public var route: Route
    /// Times from the executor's `EffectClock` (logical: only their order is meaningful to replay).
    public var started: Int64
    public var ended: Int64
    public var result: EffectResult

    public init(number: Int, route: Route = .direct, started: Int64, ended: Int64, result: EffectResult) {
        self.number = number
        self.route = route
        self.started = started
        self.ended = ended
        self.result = result
    }
}

/// How an effect call ended, with its attempts: what the engine feeds back as the event `effect/<name>`.
///
/// (Named so as not to clash with the model's `EffectOutcome`, the bare type an `sl:on-effect` matches,
/// which `outcome` gives.)
public struct EffectCallOutcome: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        /// A `2xx` response.
        case success(status: Int)
        /// A final non-`2xx` response, or (status nil) no connection after every retry without anchor fallback.
        case error(status: Int?)
        /// The last attempt timed out and there is no anchor fallback.
        case timeout
        /// The anchoring node could not route the call either; `anchorStatement` is its signed `failed`.
        case failed
    }

    public var kind: Kind
    /// Every attempt, in order, the anchor's last.
    public var attempts: [EffectAttempt]
    /// The deciding response's body (`event.data`), if any.
    public var body: Data?
    /// When the anchoring node routed the call: the outcome attestation it signed with its own key.
    public var anchorStatement: Attestation?

    public init(kind: Kind, attempts: [EffectAttempt], body: Data? = nil, anchorStatement: Attestation? = nil) {
        self.kind = kind
        self.attempts = attempts
        self.body = body
        self.anchorStatement = anchorStatement
    }

    /// The outcome as `sl:on-effect outcome=` names it.
    public var outcome: EffectOutcome {
        switch kind {
        case .success: .success
        case .error: .error
        case .timeout: .timeout
        case .failed: .failed
        }
    }

    /// The outcome event's `type`: `success`, `error`, `timeout` or `failed`.
    public var eventType: String { outcome.rawValue }

    /// The outcome event's `status`, if any.
    public var status: Int? {
        switch kind {
        case .success(let status): status
        case .error(let status): status
        case .timeout, .failed: nil
        }
    }

    /// Why the egress policy refused the call (its attempt ended `refused`), if it did.
    public var refusal: String? {
        if case .refused(let reason)? = attempts.last?.result { reason } else { nil }
    }

    /// The outcome of a call whose deciding attempt got `result`.
    public static func deciding(_ result: EffectResult, attempts: [EffectAttempt]) -> EffectCallOutcome {
        switch result {
        case .success(let status, let body):
            EffectCallOutcome(kind: .success(status: status), attempts: attempts, body: body)
        case .error(let status, let body):
            EffectCallOutcome(kind: .error(status: status), attempts: attempts, body: body)
        case .timeout: EffectCallOutcome(kind: .timeout, attempts: attempts)
        case .connectionFailed, .refused: EffectCallOutcome(kind: .error(status: nil), attempts: attempts)
        }
    }

    private enum CodingKeys: String, CodingKey { case kind, attempts, body, anchorStatement }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        attempts = try container.decode([EffectAttempt].self, forKey: .attempts)
        body = try container.decodeIfPresent(Data.self, forKey: .body)
        // The anchor's statement travels as its wire JSON, read back by the attestation module's strict reader.
        anchorStatement = try container.decodeIfPresent(String.self, forKey: .anchorStatement).map {
            try Attestation(json: $0)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(attempts, forKey: .attempts)
        try container.encodeIfPresent(body, forKey: .body)
        try container.encodeIfPresent(anchorStatement?.json, forKey: .anchorStatement)
    }
}
