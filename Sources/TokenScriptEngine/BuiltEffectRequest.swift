import TokenScriptRuntime

/// One concrete web API request of an effect: what an executor puts on the wire, attempt after attempt.
///
/// Built by `EffectRequestBuilder`; the effect executor and its transports send it as it is (the one request
/// type of both the simulated and the live path). It is journaled with the call's intent, so a restarted
/// executor resends exactly the same request under the same idempotency key.
public struct BuiltEffectRequest: Sendable, Hashable, Codable {
    /// The `sl:effect` name.
    public var effect: String
    /// `<instance>/<sequence>/<effect>/<n>`: the journal sequence of the step whose transition requested it,
    /// and its 1-based position in that transition's `effects`. Unique per instance; names the outcome attestations.
    public var requestID: String
    public var method: String
    /// `url=` (or the `sl:request`'s `url`) with every `${env.NAME}` replaced.
    public var url: String
    /// Request headers, the idempotency key's header included.
    public var headers: [String: String]
    /// The body as sent; nil sends none.
    public var body: String?
    /// `timeout=` of one attempt.
    public var timeoutMilliseconds: Int64
    public var idempotencyKey: String
    public var idempotencyHeader: String

    public init(
        effect: String, requestID: String, method: String, url: String, headers: [String: String], body: String?,
        timeoutMilliseconds: Int64, idempotencyKey: String, idempotencyHeader: String
    ) {
        self.effect = effect
        self.requestID = requestID
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMilliseconds = timeoutMilliseconds
        self.idempotencyKey = idempotencyKey
        self.idempotencyHeader = idempotencyHeader
    }

    /// `<instance>/<sequence>/<effect>/<index>`: the one format of request ids.
    public static func requestID(instance: String, sequence: UInt64, effect: String, index: Int) -> String {
        "\(instance)/\(sequence)/\(effect)/\(index)"
    }

    /// The default key `<instance>/<trigger>/<sequence>/<effect>` (ServerExtension.md): the one format.
    ///
    /// Deliberately without the executor's fencing epoch: an executor that takes over after a failover
    /// must send the same key, so the API sees its calls as repeats of the first executor's.
    public static func defaultIdempotencyKey(instance: String, trigger: String, sequence: UInt64, effect: String)
        -> String
    {
        "\(instance)/\(trigger)/\(sequence)/\(effect)"
    }

    /// `headers` with the idempotency header set to `idempotencyKey` (replacing any spelling of its name):
    /// what every attempt sends.
    public var outgoingHeaders: [String: String] {
        var result = headers
        for name in result.keys where name.lowercased() == idempotencyHeader.lowercased() {
            result.removeValue(forKey: name)
        }
        result[idempotencyHeader] = idempotencyKey
        return result
    }

    /// The request as a plain value (for snapshots, dry-run JSON and journals of tools).
    public var value: SandboxValue {
        var members: [String: SandboxValue] = [
            "effect": .string(effect),
            "requestId": .string(requestID),
            "method": .string(method),
            "url": .string(url),
            "headers": .object(headers.mapValues { .string($0) }),
            "timeoutMilliseconds": .int(timeoutMilliseconds),
            "idempotencyKey": .string(idempotencyKey),
        ]
        members["body"] = body.map { .string($0) } ?? .null
        return .object(members)
    }
}
