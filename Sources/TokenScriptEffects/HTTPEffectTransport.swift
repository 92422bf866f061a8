import Foundation
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptHTTPClient

/// Sends effect attempts under an `EgressPolicy`: the networking adapter of `EffectExecutor`.
///
/// Each attempt, before anything is sent: the headers are checked (`HeaderField`), the URL passes the
/// policy's first stage, the host name is resolved once and every address it resolves to must be
/// admitted; then `PinnedHTTPClient` connects to those addresses only, keeping the host name for the Host
/// header and TLS. A refusal is `.refused` (final: not retried, not routed to the anchor). The attempt's
/// deadline (`BuiltEffectRequest.timeoutMilliseconds`, name lookup included), the body cap and the refusal to follow
/// redirects (a redirect could turn a POST into a GET or carry the idempotency key to an unchecked host,
/// so a `3xx` is an `.error`) are kept as `BoundedHTTPSession` keeps them for the JSON-RPC client.
public final class HTTPEffectTransport: EffectTransport, Sendable {
    /// The largest response body kept; a longer one ends the attempt as `.connectionFailed`.
    public let maximumResponseBytes: Int
    public let policy: EgressPolicy

    public init(policy: EgressPolicy = .default, maximumResponseBytes: Int = 1 << 20) {
        self.policy = policy
        self.maximumResponseBytes = maximumResponseBytes
    }

    public func perform(_ request: BuiltEffectRequest) async -> EffectResult {
        let started = ContinuousClock.now
        let deadline = HTTPDeadline.clamped(Double(request.timeoutMilliseconds) / 1000)
        let headers = request.outgoingHeaders
        let url: EgressURL
        switch OutgoingRequestCheck.check(request, policy: policy, resolving: true) {
        case .success(let checked): url = checked
        case .failure(let refusal): return .refused(refusal.reason)
        }

        var addresses: [IPAddress]
        switch url.host {
        case .address(let address):
            addresses = [address]
        case .name(let name):
            switch await HostResolver.resolve(name, port: url.port, deadline: deadline) {
            case .failure(let failure):
                return failure.isTimeout ? .timeout : .connectionFailed(failure.description)
            case .success(let resolved):
                addresses = resolved
            }
            do {
                for address in addresses { try policy.admit(address, for: url) }
            } catch {
                return .refused(error.reason)
            }
        }

        let elapsed = ContinuousClock.now - started
        let remaining = deadline - Double(elapsed.components.seconds) - Double(elapsed.components.attoseconds) / 1e18
        guard remaining > 0 else { return .timeout }
        let exchange = await PinnedHTTPClient.send(
            PinnedHTTPRequest(
                method: request.method, url: url, addresses: addresses,
                headers: headers.keys.sorted().map { (name: $0, value: headers[$0]!) },
                body: request.body.map { Array($0.utf8) }),
            deadline: remaining, maximumBytes: maximumResponseBytes)
        switch exchange {
        case .response(let status?, let body):
            return (200...299).contains(status)
                ? .success(status: status, body: body) : .error(status: status, body: body)
        case .response(nil, _):
            return .connectionFailed("no HTTP status in the response")
        case .timedOut:
            return .timeout
        case .oversized(let limit, let declared?):
            return .connectionFailed("response of \(declared) bytes exceeds the \(limit)-byte cap")
        case .oversized(let limit, nil):
            return .connectionFailed("response exceeds the \(limit)-byte cap")
        case .failed(let failure):
            return failure.isTimeout ? .timeout : .connectionFailed(failure.description)
        case .cancelled:
            return .connectionFailed("cancelled")
        }
    }
}
