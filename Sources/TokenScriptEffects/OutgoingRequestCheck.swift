import TokenScriptEgress
import TokenScriptEngine

/// The egress check every transport makes before anything is sent: the one place a refusal comes from.
///
/// Headers first (`HeaderField`: names are tokens, no CR/LF, no framing header), then the URL under the
/// policy. `HTTPEffectTransport` then resolves a host name and admits every address; a transport that sends
/// nothing (`resolving: false`, the scripted one of scenarios and dry runs) judges literal addresses and
/// `localhost` without DNS (`EgressPolicy.checkWithoutResolving`).
public enum OutgoingRequestCheck {
    /// Why nothing may be sent.
    public struct Refusal: Error, Sendable, Hashable {
        public var reason: String
    }

    public static func check(
        _ request: BuiltEffectRequest, policy: EgressPolicy, resolving: Bool
    ) -> Result<EgressURL, Refusal> {
        do {
            try HeaderField.validate(request.outgoingHeaders)
        } catch {
            return .failure(Refusal(reason: error.description))
        }
        do {
            return .success(
                resolving ? try policy.check(url: request.url) : try policy.checkWithoutResolving(url: request.url))
        } catch {
            return .failure(Refusal(reason: error.reason))
        }
    }
}
