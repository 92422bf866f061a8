import AsyncHTTPClient
import NIOCore

/// Asks another node of the network to bring an instance it holds at rest back into memory
/// (`POST /v1/instances/{id}/wake`), so it orders an input waiting in the instance's inbox. Best effort: the
/// answer is not awaited beyond two seconds and a failure is ignored (the caller asks again at a later input or
/// tick).
public enum PeerWake {
    /// - Parameters:
    ///   - baseURL: the node's `http://HOST:PORT`.
    ///   - instance: an instance id (its characters are URL-safe).
    public static func send(to baseURL: String, instance: String, client: HTTPClient = .shared) async {
        var request = HTTPClientRequest(url: baseURL + "/v1/instances/" + instance + "/wake")
        request.method = .POST
        _ = try? await client.execute(request, timeout: .seconds(2))
    }
}
