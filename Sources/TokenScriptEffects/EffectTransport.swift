import TokenScriptEngine

/// Sends one attempt of an effect call. The executor depends only on this; `HTTPEffectTransport`
/// is the networking adapter.
///
/// An implementation sends `request.outgoingHeaders` (the idempotency key in its header), gives up
/// after `request.timeoutMilliseconds` (`.timeout`), and never throws: every failure is an `EffectResult`.
public protocol EffectTransport: Sendable {
    func perform(_ request: BuiltEffectRequest) async -> EffectResult
}
