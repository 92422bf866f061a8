import AsyncHTTPClient
import NIOCore

/// Asks another node of the network to bring an instance it holds at rest back into memory
/// (`POST /v1/instances/{id}/wake`), so it orders an input waiting in the instance's inbox. The wake is
/// idempotent, so an attempt that got no answer (a loaded node, a dropped connection) is made again, after 1, 2,
/// 4 and 8 s: when every host holds the instance at rest, nothing else would ask until its next input.
public enum PeerWake {
    /// - Parameters:
    ///   - baseURL: the node's `http://HOST:PORT`.
    ///   - instance: an instance id (its characters are URL-safe).
    /// - Returns: whether the node answered (any status: 404 and 410 are answers too).
    @discardableResult
    public static func send(to baseURL: String, instance: String, client: HTTPClient = .shared) async -> Bool {
        for pause in [0, 1, 2, 4, 8] {
            if pause > 0 {
                guard (try? await Task.sleep(for: .seconds(pause))) != nil else { return false }
            }
            var request = HTTPClientRequest(url: baseURL + "/v1/instances/" + instance + "/wake")
            request.method = .POST
            if (try? await client.execute(request, timeout: .seconds(5))) != nil { return true }
        }
        return false
    }
}
