import Foundation
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// What `ProcessNetwork` and `NamespacedNetwork` share: an anchor and nodes as child processes, the nodes named
/// `n1`… with `ProcessNetwork`'s keys, reached at `anchorURL`.
protocol ChildNetwork: AnyObject {
    var children: [ServerChild] { get }
    var anchorURL: String { get }
    /// Every anchor, when several share one store; the test's requests fail over between them.
    var anchorURLs: [String] { get }
}

extension ChildNetwork {
    var anchorURLs: [String] { [anchorURL] }

    /// SIGKILL to every child still running (a failed test's cleanup; a passing test terminated them).
    func stopAll() {
        for child in children where child.isRunning { child.stopNow() }
    }

    /// A connection to the anchor signed as node `index` (1-based).
    func connection(as index: Int) throws -> AnchorConnection {
        let signer = NodeRequestSigner(
            name: "n\(index)", signer: try Ed25519AttestationSigner(seed: ProcessNetwork.seed(node: index)))
        return AnchorConnection(anchorURLs: anchorURLs, signer: signer)
    }

    func anchoring(as index: Int = 1) throws -> RemoteAnchoringNode {
        RemoteAnchoringNode(connection: try connection(as: index))
    }

    /// Waits until the anchor counts `count` members healthy.
    func waitUntilJoined(_ count: Int, seconds: TimeInterval) async throws {
        let placement = RemotePlacement(connection: try connection(as: 1), url: "")
        let deadline = Date().addingTimeInterval(seconds)
        while try await placement.members().filter(\.healthy).count < count {
            guard Date() < deadline else { throw ServerChildError("the nodes never all joined") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
