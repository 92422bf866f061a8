import Synchronization
import TokenScriptEngine

/// A transport that sends nothing: every attempt is `refused`, and the effects it was asked for are kept.
///
/// For replay, which must never reach an API: the journal already holds every outcome.
public final class RefusingEffectTransport: EffectTransport, Sendable {
    private let calls = Mutex<[String]>([])

    public init() {}

    /// The effects whose requests reached this transport, in order.
    public var attempted: [String] { calls.withLock { $0 } }

    public func perform(_ request: BuiltEffectRequest) async -> EffectResult {
        calls.withLock { $0.append(request.effect) }
        return .refused("replay executes no effect")
    }
}
