import Foundation

/// Sends one attempt of an effect call. The executor depends only on this; `HTTPEffectTransport`
/// is the networking adapter.
///
/// An implementation sends `request.idempotencyKey` in the `request.idempotencyHeader` header, gives up
/// after `request.timeoutSeconds` (`.timeout`), and never throws: every failure is an `EffectResult`.
public protocol EffectTransport: Sendable {
    func perform(_ request: EffectRequest) async -> EffectResult
}
