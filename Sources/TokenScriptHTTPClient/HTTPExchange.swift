import Foundation

/// How one HTTP exchange ended, before any caller gives it a meaning (an RPC answer, an effect outcome).
public enum HTTPExchange: Sendable {
    /// The server answered; `status` is nil when the response carried none.
    case response(status: Int?, body: Data)
    /// The caller's deadline passed first.
    case timedOut
    /// The body was larger than the cap: `declared` when the server announced it up front.
    case oversized(limit: Int, declared: Int64?)
    /// The connection failed (refused, lost, TLS, …).
    case failed(HTTPFailure)
    /// The calling task was cancelled.
    case cancelled
}

/// A transport failure named by the endpoint and a reason a person can read; `localizedDescription`
/// is generic on Linux.
public struct HTTPFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// `host:port` of the request.
    public var endpoint: String
    public var reason: String
    /// URLSession's own timeout (a backstop; the caller's deadline normally fires first).
    public var isTimeout: Bool

    public var description: String { "\(endpoint): \(reason)" }
}

extension HTTPFailure {
    /// URLSession's error, named the way the other transports name theirs.
    init(_ error: any Error, url: URL?) {
        endpoint = url.map { "\($0.host ?? "?")\($0.port.map { ":\($0)" } ?? "")" } ?? "endpoint"
        isTimeout = false
        guard let urlError = error as? URLError else {
            reason = "\(error)"
            return
        }
        switch urlError.code {
        case .timedOut:
            reason = "timed out"
            isTimeout = true
        case .cannotConnectToHost: reason = "connection refused"
        case .cannotFindHost, .dnsLookupFailed: reason = "host not found"
        case .networkConnectionLost: reason = "connection lost"
        case .notConnectedToInternet: reason = "not connected"
        case .badServerResponse: reason = "bad server response"
        case .cancelled: reason = "cancelled"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            reason = "TLS failure"
        case .unsupportedURL: reason = "unsupported URL"
        default: reason = "URLError \(urlError.code.rawValue)"
        }
    }
}
