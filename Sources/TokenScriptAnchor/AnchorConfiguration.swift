import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEgress
import TokenScriptHTTPServer

/// What an anchoring node is started with: the service node's settings (listen address, data directory,
/// name, key) plus how long a node stays healthy without a heartbeat and how long a lease holds.
public struct AnchorConfiguration: Sendable {
    public var host: String
    /// 0 asks the system for a free port; the bound one is announced on `READY`.
    public var port: Int
    /// The directory holding `anchor.sqlite`, created when missing.
    public var dataDirectory: String
    public var name: String
    /// The anchor's own key: it signs routed calls' statements, membership records and evidence.
    public var signer: Ed25519AttestationSigner
    /// Seconds without a heartbeat after which a node is not healthy (default 3).
    public var nodeTimeout: UInt64
    /// Seconds an executor lease holds after an election or renewal (default 10).
    public var leaseTerm: UInt64
    /// Where routed calls may go.
    public var egress: EgressPolicy
    /// How many hosts each instance has (default 3), 1…`maximumReplicas`; every node learns it from the anchor.
    public var replicas: Int
    /// The nodes allowed to join, by name, with their Ed25519 keys; nil lets any key register a new name.
    public var members: [String: Issuer]?
    /// The operators, by name, with their Ed25519 keys: the only signers allowed to pin instances to nodes.
    /// Their names are never node names.
    public var operators: [String: Issuer]
    /// How often the anchor probes its healthy members' `/health` and sweeps their service levels
    /// (`AnchorProbeService`, default 1 s); nil probes nothing (tests that sweep by hand, with a manual clock).
    public var probeInterval: Duration?
    /// Service objectives by node name (`--objective`, `AnchorObjectives`); other nodes get the standard one.
    public var objectives: [String: ServiceObjective]
    /// A PostgreSQL store's `postgres://` URL (`--store`), shared with the network's other anchors; nil keeps the
    /// embedded `DIR/anchor.sqlite`.
    public var store: String?

    /// The most replicas an instance may have (and a placement question may ask for).
    public static let maximumReplicas = 64

    public init(
        host: String, port: Int, dataDirectory: String, name: String, signer: Ed25519AttestationSigner,
        nodeTimeout: UInt64 = 3, leaseTerm: UInt64 = 10, egress: EgressPolicy = .default, replicas: Int = 3,
        members: [String: Issuer]? = nil, operators: [String: Issuer] = [:], probeInterval: Duration? = .seconds(1),
        objectives: [String: ServiceObjective] = [:], store: String? = nil
    ) {
        self.store = store
        self.objectives = objectives
        self.probeInterval = probeInterval
        self.replicas = replicas
        self.operators = operators
        self.members = members
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.name = name
        self.signer = signer
        self.nodeTimeout = nodeTimeout
        self.leaseTerm = leaseTerm
        self.egress = egress
    }

    /// The fields of an anchor config file, each optional; unknown fields are refused.
    public struct File: Sendable, Equatable {
        public var listen: String?
        public var data: String?
        public var name: String?
        public var key: String?
        public var nodeTimeout: UInt64?
        public var leaseTerm: UInt64?
        public var replicas: Int?
        /// `NAME=0xKEY` texts, as `--member` takes them.
        public var members: [String]?
        /// `NAME=0xKEY` texts, as `--operator` takes them.
        public var operators: [String]?
        /// `NAME=PERCENT,LATENCYms[,PERIODd]` texts, as `--objective` takes them.
        public var objectives: [String]?
        /// A `postgres://` URL, as `--store` takes it.
        public var store: String?

        /// Reads the config file at `path` (strictly: `ServerConfigFile`).
        /// - Throws: `AnchorConfigurationError` naming the file and, for a bad field, the field.
        public static func read(_ path: String) throws(AnchorConfigurationError) -> File {
            let file = try ServerConfigFile(
                path: path,
                fields: [
                    "listen", "data", "name", "key", "nodeTimeout", "leaseTerm", "replicas", "members", "operators",
                    "objectives", "store",
                ])
            return File(
                listen: try file.string("listen"), data: try file.string("data"), name: try file.string("name"),
                key: try file.string("key"), nodeTimeout: try file.seconds("nodeTimeout"),
                leaseTerm: try file.seconds("leaseTerm"), replicas: try file.integer("replicas").map(Int.init),
                members: try file.strings("members"), operators: try file.strings("operators"),
                objectives: try file.strings("objectives"), store: try file.string("store"))
        }
    }
}

/// A configuration that cannot start an anchor, naming the field or flag at fault: the servers' one error shape.
public typealias AnchorConfigurationError = ServerConfigurationError

extension AnchorConfiguration {
    /// Reads `NAME=0xKEY` member texts (`--member`, the config's `members`) into the allow-list.
    /// - Throws: `AnchorConfigurationError` on field `member`: no `=`, a name outside `[A-Za-z0-9._-]`, a key
    ///   that is not an Ed25519 `0x` key, or a name given twice.
    public static func members(_ texts: [String]) throws(AnchorConfigurationError) -> [String: Issuer] {
        try identities(texts, field: "member", role: "node")
    }

    /// Reads `NAME=0xKEY` operator texts (`--operator`, the config's `operators`), checked as `members` are.
    public static func operators(_ texts: [String]) throws(AnchorConfigurationError) -> [String: Issuer] {
        try identities(texts, field: "operator", role: "operator")
    }

    /// Whether `text` can name a node or an operator: letters, digits, '.', '_' and '-' (ASCII), at least one.
    static func isName(_ text: some StringProtocol) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x2E || byte == 0x5F || byte == 0x2D
            }
    }

    private static func identities(
        _ texts: [String], field: String, role: String
    ) throws(AnchorConfigurationError) -> [String: Issuer] {
        var identities: [String: Issuer] = [:]
        for text in texts {
            guard let equals = text.firstIndex(of: "=") else {
                throw AnchorConfigurationError(field: field, message: "expected NAME=0xKEY, got \"\(text)\"")
            }
            let name = String(text[..<equals])
            guard isName(name) else {
                throw AnchorConfigurationError(
                    field: field, message: "\(role) names are letters, digits, '.', '_' and '-', got \"\(name)\"")
            }
            guard let key = Issuer(scheme: .ed25519, key: String(text[text.index(after: equals)...])) else {
                throw AnchorConfigurationError(field: field, message: "\(name)'s key is not a 0x Ed25519 key")
            }
            guard identities.updateValue(key, forKey: name) == nil else {
                throw AnchorConfigurationError(field: field, message: "\(name) is given twice")
            }
        }
        return identities
    }
}
