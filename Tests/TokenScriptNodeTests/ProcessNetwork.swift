import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptJSON
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A real network as child processes: `tokenscript anchor` and `nodes` × `tokenscript node --anchor`, each on
/// a free port of 127.0.0.1, every node hosting the flight ticket. The test stops each child by its PID. With a
/// PostgreSQL `store`, several anchors share it and every node is given them all.
final class ProcessNetwork: ChildNetwork {
    let directory: TemporaryDirectory
    let anchor: ServerChild
    let anchorPort: Int
    /// The anchors after the first (sharing its store), and their ports.
    let otherAnchors: [ServerChild]
    let otherAnchorPorts: [Int]
    private(set) var nodes: [ServerChild]
    private(set) var nodePorts: [Int]
    /// Each node's command line, to restart it over the same data directory; the spare ones after the started.
    private var arguments: [[String]]
    /// Added to every node's environment, also on a restart.
    private let nodeEnvironment: [String: String]
    private(set) var names: [String]

    var children: [ServerChild] { nodes + [anchor] + otherAnchors }
    var anchorURL: String { "http://127.0.0.1:\(anchorPort)" }
    var anchorURLs: [String] { ([anchorPort] + otherAnchorPorts).map { "http://127.0.0.1:\($0)" } }

    /// Starts the next spare node (trusted by every node from the start) with `extra` arguments and waits until
    /// the anchor counts it healthy; returns its index (0-based).
    func addNode(_ extra: [String] = []) async throws -> Int {
        let index = nodes.count
        guard index < arguments.count else { throw ServerChildError("no spare node left to add") }
        arguments[index] += extra
        let node = try ServerChild(arguments: arguments[index], environment: nodeEnvironment)
        nodes.append(node)
        nodePorts.append(try await node.waitForReady())
        names.append("n\(index + 1)")
        let placement = RemotePlacement(connection: try connection(as: 1), url: "")
        let deadline = Date().addingTimeInterval(20)
        while try await !placement.members().contains(where: { $0.name == names[index] && $0.healthy }) {
            guard Date() < deadline else { throw ServerChildError("\(names[index]) never joined") }
            try await Task.sleep(for: .milliseconds(50))
        }
        return index
    }

    /// Starts node `index` (0-based) again with its command line; returns its new port.
    func restart(_ index: Int) async throws -> Int {
        let node = try ServerChild(arguments: arguments[index], environment: nodeEnvironment)
        nodes[index] = node
        nodePorts[index] = try await node.waitForReady()
        return nodePorts[index]
    }

    private init(
        directory: TemporaryDirectory, anchors: [ServerChild], anchorPorts: [Int], nodes: [ServerChild],
        nodePorts: [Int], names: [String], arguments: [[String]], nodeEnvironment: [String: String]
    ) {
        self.otherAnchors = Array(anchors.dropFirst())
        self.otherAnchorPorts = Array(anchorPorts.dropFirst())
        self.arguments = arguments
        self.nodeEnvironment = nodeEnvironment
        self.directory = directory
        self.anchor = anchors[0]
        self.anchorPort = anchorPorts[0]
        self.nodes = nodes
        self.nodePorts = nodePorts
        self.names = names
    }

    /// The seed of node `index` (1-based names `n1`…), and of the anchor.
    static func seed(node index: Int) -> [UInt8] { TestKeys.seed(UInt8(0x60 + index)) }
    static let anchorSeed = TestKeys.seed(0x5f)

    /// Starts the anchor, then the nodes, and waits until the anchor counts every node healthy. Every node
    /// trusts the others (`--executor-key`) and the anchor (`--anchor-key`); `arguments` go to every node, and
    /// `nodeEnvironment` is added to every node's environment. `spare` more nodes are trusted and prepared but not
    /// started (`addNode()` starts them). `scripts`, when given, are hosted instead of `script`. With `store` (a
    /// `postgres://` URL), `anchors` anchoring nodes share it (the same key, as one network's anchors do), and each
    /// node keeps its journals in a schema of its own in the same database (`nodeStore`).
    static func start(
        nodes count: Int, spare: Int = 0, script: String = HostingFixture.scriptPath, scripts: [String]? = nil,
        arguments: [String] = [], anchorArguments: [String] = [], nodeEnvironment: [String: String] = [:],
        anchors anchorCount: Int = 1, store: String? = nil
    ) async throws -> ProcessNetwork {
        let directory = try TemporaryDirectory()
        let anchorKey = try writeKey(anchorSeed, to: directory.path + "/anchor.key")
        // Room for nodes a test adds later (n1…n8); no other key may join.
        var members: [String] = []
        for index in 1...max(count + spare, 8) {
            members += ["--member", "n\(index)=\(try Ed25519AttestationSigner(seed: seed(node: index)).issuer.key)"]
        }
        let storeArguments = store.map { ["--store", $0] } ?? []
        var anchors: [ServerChild] = []
        var anchorPorts: [Int] = []
        for index in 1...anchorCount {
            let name = anchorCount == 1 ? "anchor" : "anchor-\(index)"
            let anchor = try ServerChild(
                arguments: [
                    "anchor", "--listen", "127.0.0.1:0", "--data", directory.path + "/\(name)", "--key", anchorKey,
                    "--name", name,
                ] + members + storeArguments + anchorArguments)
            anchors.append(anchor)
            anchorPorts.append(try await anchor.waitForReady())
        }
        let anchorList = anchorPorts.map { "http://127.0.0.1:\($0)" }.joined(separator: ",")
        var nodes: [ServerChild] = []
        var ports: [Int] = []
        var names: [String] = []
        var lines: [[String]] = []
        var trust = ["--anchor-key", try Ed25519AttestationSigner(seed: anchorSeed).issuer.key]
        for index in 1...(count + spare) {
            trust += ["--executor-key", try Ed25519AttestationSigner(seed: seed(node: index)).issuer.key]
        }
        for index in 1...(count + spare) {
            let name = "n\(index)"
            let key = try writeKey(seed(node: index), to: directory.path + "/\(name).key")
            let line =
                [
                    "node", "--listen", "127.0.0.1:0", "--data", directory.path + "/\(name)", "--key", key, "--name",
                    name, "--anchor", anchorList,
                ] + (scripts ?? [script]).flatMap { ["--script", $0] } + trust + arguments
                + (try store.map { ["--store", try nodeStore($0, node: name)] } ?? [])
            lines.append(line)
            guard index <= count else { continue }
            let node = try ServerChild(arguments: line, environment: nodeEnvironment)
            nodes.append(node)
            ports.append(try await node.waitForReady())
            names.append(name)
        }
        let network = ProcessNetwork(
            directory: directory, anchors: anchors, anchorPorts: anchorPorts, nodes: nodes, nodePorts: ports,
            names: names, arguments: lines, nodeEnvironment: nodeEnvironment)
        try await network.waitUntilJoined(count, seconds: 20)
        return network
    }

    /// The anchors' store URL with the schema `<schema>_<node>` and a pool of 4 connections: a node's own.
    static func nodeStore(_ store: String, node: String) throws -> String {
        var components = try #require(URLComponents(string: store))
        var items = (components.queryItems ?? []).filter { $0.name != "schema" && $0.name != "connections" }
        let schema = components.queryItems?.first { $0.name == "schema" }?.value ?? "public"
        items += [
            URLQueryItem(name: "schema", value: "\(schema)_\(node)"), URLQueryItem(name: "connections", value: "4"),
        ]
        components.queryItems = items
        return try #require(components.string)
    }

    func election() throws -> RemoteElection { RemoteElection(connection: try connection(as: 1)) }

    /// The nodes that host `instance` by the anchor's placement over `replicas` (indices into `nodes`), and one
    /// that does not.
    func hostsAndOutsider(of instance: String, replicas: Int) async throws -> (hosts: [Int], outsider: Int) {
        let placement = RemotePlacement(connection: try connection(as: 1), url: "")
        let hostNames = try await placement.hostingNodes(for: instance, replicas: replicas).map(\.id)
        let hosts = names.indices.filter { hostNames.contains(names[$0]) }
        let outsider = try #require(names.indices.first { !hostNames.contains(names[$0]) })
        #expect(hosts.count == replicas)
        return (hosts, outsider)
    }

    /// Creates ticket-1 through node `index` (0-based) and waits until every node hosts it at position 0.
    func createTicket(on index: Int) async throws {
        let created = try await LoopbackHTTP.request(
            "POST", port: nodePorts[index], path: "/v1/instances", body: HostingFixture.createBody(id: "ticket-1"))
        #expect(created.status == 201, "\(created.body)")
        for port in nodePorts {
            _ = try await waitFor(port: port) { $0["position"]?.integerValue == 0 }
        }
    }

    /// Posts the fixture's flight status `index` to node `node`; the node must accept it (200).
    func postStatus(_ index: Int, to node: Int) async throws {
        let posted = try await LoopbackHTTP.request(
            "POST", port: nodePorts[node], path: "/v1/attestations", body: try HostingFixture.statuses()[index])
        #expect(posted.status == 200, "\(posted.body)")
    }

    /// Polls each of `hosts` (indices into `nodePorts`) until it shows ticket-1 at `position`; their views.
    func views(at position: Int64, on hosts: [Int], seconds: TimeInterval = 20) async throws -> [[JSONKey: JSONValue]] {
        var views: [[JSONKey: JSONValue]] = []
        for index in hosts {
            views.append(
                try await waitFor(port: nodePorts[index], seconds: seconds) {
                    $0["position"]?.integerValue == position
                })
        }
        return views
    }

    /// Polls `instance` on the node at `port` with the holder's grant until `done` holds.
    func waitFor(
        port: Int, seconds: TimeInterval = 20, instance: String = "ticket-1", _ done: ([JSONKey: JSONValue]) -> Bool
    ) async throws -> [JSONKey: JSONValue] {
        let grant = try HostingFixture.grant(instance, issuedAt: 1_700_000_000, expiresAt: 4_000_000_000)
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let response = try await LoopbackHTTP.request(
                "GET", port: port, path: "/v1/instances/\(instance)", headers: ["X-TokenScript-Grant": grant])
            if response.status == 200, let body = try JSONValue(parsing: response.body).objectValue, done(body) {
                return body
            }
            guard Date() < deadline else {
                throw ServerChildError("gave up waiting on port \(port); last \(response.body)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func writeKey(_ seed: [UInt8], to path: String) throws -> String {
        let signer = try Ed25519AttestationSigner(seed: seed)
        let hex = "0x" + seed.map { String(format: "%02x", $0) }.joined()
        let text = "{\"scheme\":\"ed25519\",\"privateKey\":\"\(hex)\",\"publicKey\":\"\(signer.issuer.key)\"}"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
