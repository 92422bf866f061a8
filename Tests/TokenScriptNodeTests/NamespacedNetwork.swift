import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptJSON
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `ProcessNetwork` with every process on a host of its own: the anchor and each node run in a network namespace
/// (`NetworkNamespaces`) and listen on its address, so a test can cut, blackhole or slow the links between them.
/// Keys, names (`n1`…) and the flight ticket are `ProcessNetwork`'s. The test stops each child by its PID.
final class NamespacedNetwork: ChildNetwork {
    let namespaces: NetworkNamespaces
    let directory: TemporaryDirectory
    let anchor: ServerChild
    let anchorHost: NetworkNamespaces.Host
    let anchorPort: Int
    let nodes: [ServerChild]
    let nodeHosts: [NetworkNamespaces.Host]
    let nodePorts: [Int]
    let names: [String]

    var children: [ServerChild] { nodes + [anchor] }
    var anchorURL: String { "http://\(anchorHost.address):\(anchorPort)" }

    private init(
        namespaces: NetworkNamespaces, directory: TemporaryDirectory, anchor: ServerChild,
        anchorHost: NetworkNamespaces.Host, anchorPort: Int, nodes: [ServerChild], nodeHosts: [NetworkNamespaces.Host],
        nodePorts: [Int], names: [String]
    ) {
        self.namespaces = namespaces
        self.directory = directory
        self.anchor = anchor
        self.anchorHost = anchorHost
        self.anchorPort = anchorPort
        self.nodes = nodes
        self.nodeHosts = nodeHosts
        self.nodePorts = nodePorts
        self.names = names
    }

    /// Starts the anchor and `count` nodes, each in its own namespace, and waits until the anchor counts every
    /// node healthy. `anchorArguments` go to the anchor (its node timeout, lease term).
    static func start(
        nodes count: Int, anchorArguments: [String] = ["--node-timeout", "3", "--lease-term", "6"]
    ) async throws -> NamespacedNetwork {
        let namespaces = try await NetworkNamespaces()
        let directory = try TemporaryDirectory()
        let tokenscript = TestPaths.executable("tokenscript")
        let anchorKey = try ProcessNetwork.writeKey(ProcessNetwork.anchorSeed, to: directory.path + "/anchor.key")
        var members: [String] = []
        var trust = ["--anchor-key", try Ed25519AttestationSigner(seed: ProcessNetwork.anchorSeed).issuer.key]
        for index in 1...count {
            let key = try Ed25519AttestationSigner(seed: ProcessNetwork.seed(node: index)).issuer.key
            members += ["--member", "n\(index)=\(key)"]
            trust += ["--executor-key", key]
        }
        let anchorHost = try await namespaces.add("a")
        let (ip, anchorLine) = namespaces.inside(
            anchorHost, tokenscript,
            ["anchor", "--listen", "\(anchorHost.address):0", "--data", directory.path + "/anchor", "--key", anchorKey]
                + members + anchorArguments)
        let anchor = try ServerChild(arguments: anchorLine, executable: ip)
        let anchorPort = try await anchor.waitForReady(host: anchorHost.address)
        var nodes: [ServerChild] = []
        var hosts: [NetworkNamespaces.Host] = []
        var ports: [Int] = []
        var names: [String] = []
        for index in 1...count {
            let name = "n\(index)"
            let host = try await namespaces.add(name)
            let key = try ProcessNetwork.writeKey(ProcessNetwork.seed(node: index), to: directory.path + "/\(name).key")
            let (ip, line) = namespaces.inside(
                host, tokenscript,
                [
                    "node", "--listen", "\(host.address):0", "--data", directory.path + "/\(name)", "--key", key,
                    "--name", name, "--script", HostingFixture.scriptPath, "--anchor",
                    "http://\(anchorHost.address):\(anchorPort)",
                ] + trust)
            let node = try ServerChild(arguments: line, executable: ip)
            nodes.append(node)
            ports.append(try await node.waitForReady(host: host.address))
            hosts.append(host)
            names.append(name)
        }
        let network = NamespacedNetwork(
            namespaces: namespaces, directory: directory, anchor: anchor, anchorHost: anchorHost,
            anchorPort: anchorPort, nodes: nodes, nodeHosts: hosts, nodePorts: ports, names: names)
        try await network.waitUntilJoined(count, seconds: 30)
        return network
    }

    func request(
        _ method: String, node: Int, path: String, headers: [String: String] = [:], body: String? = nil
    ) async throws -> LoopbackResponse {
        try await LoopbackHTTP.request(
            method, host: nodeHosts[node].address, port: nodePorts[node], path: path, headers: headers, body: body)
    }

    /// Creates ticket-1 through node `index` (0-based) and waits until every node hosting it shows position 0.
    func createTicket(on index: Int) async throws {
        let created = try await request(
            "POST", node: index, path: "/v1/instances", body: HostingFixture.createBody(id: "ticket-1"))
        #expect(created.status == 201, "\(created.body)")
    }

    /// Posts the fixture's flight status `index` to node `node`; the node must accept it (200).
    func postStatus(_ index: Int, to node: Int) async throws {
        let posted = try await request(
            "POST", node: node, path: "/v1/attestations", body: try HostingFixture.statuses()[index])
        #expect(posted.status == 200, "\(posted.body)")
    }

    /// Polls each of `hosts` (node indices) until it shows ticket-1 at `position`; their views.
    func views(at position: Int64, on hosts: [Int], seconds: TimeInterval = 30) async throws -> [[JSONKey: JSONValue]] {
        let grant = try HostingFixture.grant("ticket-1", issuedAt: 1_700_000_000, expiresAt: 4_000_000_000)
        var views: [[JSONKey: JSONValue]] = []
        for node in hosts {
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                let response = try? await request(
                    "GET", node: node, path: "/v1/instances/ticket-1", headers: ["X-TokenScript-Grant": grant])
                if let response, response.status == 200, let body = try JSONValue(parsing: response.body).objectValue,
                    body["position"]?.integerValue == position
                {
                    views.append(body)
                    break
                }
                guard Date() < deadline else {
                    throw ServerChildError(
                        "\(names[node]) never showed ticket-1 at \(position); last \(response?.body ?? "no answer")")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        return views
    }
}
