import Foundation
import AsyncHTTPClient
import Logging
import Synchronization
import TokenScriptAnchor
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEffects
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptTesting

/// A real anchor in this process: `DIR/anchor.sqlite` in a fresh directory, served by Hummingbird on
/// 127.0.0.1 port 0, with a manual clock (leases, health and request dates) the test moves. Nodes reach it
/// through the Remote* clients over real HTTP, each signing with its own key.
final class AnchorFixture: Sendable {
    static let start: UInt64 = 1_700_000_000
    let anchor: Anchor
    let url: String
    let clock: ManualClock
    let leaseTerm: UInt64
    let nodeTimeout: UInt64
    private let directory: TemporaryDirectoryBox
    private let server: Task<Void, any Error>

    /// Runs `body` against a fresh anchor, then stops it.
    static func with<Result>(
        leaseTerm: UInt64 = 30, nodeTimeout: UInt64 = 3, members: [String]? = nil,
        streamFallbackPoll: Duration = .seconds(1), _ body: (AnchorFixture) async throws -> Result
    ) async throws -> Result {
        let fixture = try await open(
            leaseTerm: leaseTerm, nodeTimeout: nodeTimeout, members: members, streamFallbackPoll: streamFallbackPoll)
        defer { fixture.stop() }
        return try await body(fixture)
    }

    /// A fresh anchor, serving until `stop()`.
    /// `members`: node names allowed to join with their fixture keys; nil lets anyone join.
    /// `streamFallbackPoll`: how often a quiet log stream reads without a wake-up.
    static func open(
        leaseTerm: UInt64 = 30, nodeTimeout: UInt64 = 3, members: [String]? = nil,
        streamFallbackPoll: Duration = .seconds(1)
    ) async throws -> AnchorFixture {
        try await AnchorFixture(
            leaseTerm: leaseTerm, nodeTimeout: nodeTimeout, members: members, streamFallbackPoll: streamFallbackPoll)
    }

    func stop() { server.cancel() }

    private init(
        leaseTerm: UInt64, nodeTimeout: UInt64, members names: [String]?, streamFallbackPoll: Duration
    ) async throws {
        let directory = try TemporaryDirectory()
        self.directory = TemporaryDirectoryBox(directory: directory)
        clock = ManualClock(unixSeconds: Self.start)
        self.leaseTerm = leaseTerm
        self.nodeTimeout = nodeTimeout
        let signer = try Ed25519AttestationSigner(seed: Self.seed("anchor-1"))
        let transport = HTTPEffectTransport(policy: try EgressPolicy.allowing(["127.0.0.1/32"], plainHTTP: true))
        var members: [String: Issuer]?
        if let names {
            members = [:]
            for name in names { members?[name] = try Ed25519AttestationSigner(seed: Self.seed(name)).issuer }
        }
        let operators = [Self.operatorName: try Ed25519AttestationSigner(seed: Self.seed(Self.operatorName)).issuer]
        let anchor = try await Anchor(
            dataDirectory: directory.path, name: "anchor-1", signer: signer, nodeTimeout: nodeTimeout,
            leaseTerm: leaseTerm, clock: clock, transport: transport, members: members, operators: operators,
            streamFallbackPoll: streamFallbackPoll)
        self.anchor = anchor
        let configuration = AnchorConfiguration(
            host: "127.0.0.1", port: 0, dataDirectory: directory.path, name: "anchor-1", signer: signer,
            nodeTimeout: nodeTimeout, leaseTerm: leaseTerm, probeInterval: nil)
        let (announcements, announce) = AsyncStream.makeStream(of: String.self)
        server = Task {
            try await AnchorProcess.serve(
                anchor, configuration: configuration,
                logger: Logger(label: "anchor-test") { _ in SwiftLogNoOpLogHandler() },
                announce: { line in announce.yield(line) })
        }
        var iterator = announcements.makeAsyncIterator()
        let ready = await iterator.next() ?? ""
        url = String(ready.dropFirst("READY ".count))
    }

    /// Writes `name`'s key (its `seed`) to `directory/name.key` as `tokenscript keys new` would; answers the public
    /// key, `0x` hex.
    @discardableResult
    static func writeKeyFile(_ name: String, in directory: String) throws -> String {
        let signer = try Ed25519AttestationSigner(seed: seed(name))
        let privateKey = "0x" + seed(name).map { String(format: "%02x", $0) }.joined()
        let file = "{\"scheme\":\"ed25519\",\"privateKey\":\"\(privateKey)\",\"publicKey\":\"\(signer.issuer.key)\"}"
        try Data(file.utf8).write(to: URL(fileURLWithPath: directory + "/\(name).key"))
        return signer.issuer.key
    }

    /// A fixed 32-byte seed per name, so each node has its own key.
    static func seed(_ name: String) -> [UInt8] {
        Array((name + String(repeating: "#", count: 32)).utf8.prefix(32))
    }

    func signer(_ name: String) throws -> NodeRequestSigner {
        NodeRequestSigner(name: name, signer: try Ed25519AttestationSigner(seed: Self.seed(name)))
    }

    /// A node's connection, dating its requests by the test's clock. Its deadline is a minute, not a node's
    /// ten seconds: this anchor answers from the test process's own cooperative threads, which the whole
    /// parallel test run shares (two on a 2-core machine) and which other suites can hold for half a minute.
    func connection(_ name: String) throws -> AnchorConnection {
        let clock = clock
        return AnchorConnection(
            anchorURL: url, signer: try signer(name), timeout: .seconds(60), now: { clock.unixSeconds() })
    }

    /// `attestation` issued and signed by node `name` (the network's own records must be the appender's).
    func signed(_ attestation: Attestation, by name: String) throws -> Attestation {
        try Ed25519AttestationSigner(seed: Self.seed(name)).sign(attestation)
    }

    /// The anchor's one operator: it alone may pin.
    static let operatorName = "operator-1"

    /// The operator's placement client (it pins; the anchor refuses pins from nodes).
    var operatorPlacement: RemotePlacement {
        get throws { RemotePlacement(connection: try connection(Self.operatorName), url: url) }
    }

    /// Registers `name` (capacity `weight`) and sends its first heartbeat.
    @discardableResult
    func join(_ name: String, weight: UInt32 = 1) async throws -> TestNode {
        let node = TestNode(connection: try connection(name))
        try await node.placement.register(ServiceNode(id: name, weight: weight))
        try await node.placement.heartbeat()
        return node
    }
}

/// One node's clients of the anchor.
struct TestNode: Sendable {
    let connection: AnchorConnection
    var placement: RemotePlacement { RemotePlacement(connection: connection, url: "http://127.0.0.1:1") }
    var election: RemoteElection { RemoteElection(connection: connection) }
    var log: RemoteAttestationLog { RemoteAttestationLog(connection: connection) }
    var anchoring: RemoteAnchoringNode { RemoteAnchoringNode(connection: connection) }
}

/// Keeps the directory alive (and removed when the fixture goes) behind a `Sendable` wall.
final class TemporaryDirectoryBox: @unchecked Sendable {
    let directory: TemporaryDirectory
    init(directory: TemporaryDirectory) { self.directory = directory }
}
