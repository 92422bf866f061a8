import Foundation
import TokenScriptModel

/// One call of an `sl:effect`, fully built: what every attempt sends.
///
/// The engine builds it from the `ServerEffect` and the result of its `sl:request` Lua chunk (URL,
/// headers, body); the executor and the transports only send it. It is journaled with the intent, so a
/// restarted executor resends exactly the same request under the same idempotency key.
public struct EffectRequest: Sendable, Hashable, Codable {
    /// The `sl:effect` name; outcomes have topic `effect/<effect>`.
    public var effect: String
    public var method: ServerEffect.Method
    public var url: URL
    /// Extra request headers (from `sl:request`). The idempotency header is added by the transport and wins
    /// over a header of the same name here.
    public var headers: [String: String]
    /// The body as sent; nil sends none.
    public var body: Data?
    /// How long one attempt may take, in seconds (`timeout=`).
    public var timeoutSeconds: Double
    /// The same on every attempt, on the anchor's attempt and on replay.
    public var idempotencyKey: String
    /// The header carrying `idempotencyKey` (`sl:idempotency-key header=`).
    public var idempotencyHeader: String

    public init(
        effect: String, method: ServerEffect.Method, url: URL, headers: [String: String] = [:], body: Data? = nil,
        timeoutSeconds: Double, idempotencyKey: String, idempotencyHeader: String = "Idempotency-Key"
    ) {
        self.effect = effect
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
        self.idempotencyKey = idempotencyKey
        self.idempotencyHeader = idempotencyHeader
    }

    /// A request for `effect` with its method, timeout and idempotency header; `url` is the resolved URL
    /// (after `${env.NAME}` substitution or the `sl:request` override).
    public init(
        effect: ServerEffect, url: URL, headers: [String: String] = [:], body: Data? = nil, idempotencyKey: String
    ) {
        self.init(
            effect: effect.name, method: effect.method, url: url, headers: headers, body: body,
            timeoutSeconds: Double(effect.timeout.milliseconds) / 1000, idempotencyKey: idempotencyKey,
            idempotencyHeader: effect.idempotencyKey.header)
    }

    /// The default key `<instance>/<trigger>/<sequence>/<effect>` (see `IdempotencyKey`).
    ///
    /// Deliberately without the executor's fencing epoch: an executor that takes over after a failover
    /// must send the same key, so the API sees its calls as repeats of the first executor's.
    public static func defaultIdempotencyKey(instance: String, trigger: String, sequence: Int, effect: String)
        -> String
    {
        "\(instance)/\(trigger)/\(sequence)/\(effect)"
    }
}
