import Foundation
import TokenScriptAttestation
import TokenScriptEgress

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

    /// The most replicas an instance may have (and a placement question may ask for).
    public static let maximumReplicas = 64

    public init(
        host: String, port: Int, dataDirectory: String, name: String, signer: Ed25519AttestationSigner,
        nodeTimeout: UInt64 = 3, leaseTerm: UInt64 = 10, egress: EgressPolicy = .default, replicas: Int = 3
    ) {
        self.replicas = replicas
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
    public struct File: Codable, Sendable, Equatable {
        public var listen: String?
        public var data: String?
        public var name: String?
        public var key: String?
        public var nodeTimeout: UInt64?
        public var leaseTerm: UInt64?
        public var replicas: Int?

        /// Reads and decodes the config file at `path`.
        /// - Throws: `AnchorConfigurationError` naming the file and, for a bad field, the field.
        public static func read(_ path: String) throws(AnchorConfigurationError) -> File {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AnchorConfigurationError(field: "--config", message: "cannot read \(path)")
            }
            let known: Set<String> = ["listen", "data", "name", "key", "nodeTimeout", "leaseTerm", "replicas"]
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw AnchorConfigurationError(field: "--config", message: "\(path) is not a JSON object")
            }
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw AnchorConfigurationError(field: unknown, message: "unknown field in \(path)")
            }
            do { return try JSONDecoder().decode(File.self, from: data) } catch {
                throw AnchorConfigurationError(
                    field: "--config",
                    message: "\(path): strings, whole seconds for nodeTimeout and leaseTerm, a whole replicas")
            }
        }
    }
}

/// A configuration that cannot start an anchor, naming the field or flag at fault.
public struct AnchorConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
