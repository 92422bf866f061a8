import Foundation
import TokenScriptHTTPServer

/// What a service node is started with: the listening address, the data directory, the node's name, its key,
/// the TokenScripts it hosts and the anchor whose network it joins. Read from a JSON config file
/// (`{"listen", "data", "name", "key", "scripts", "anchor", "capacity", "dormantAfter", "retainExpired", "store"}`,
/// every field optional) and
/// then overridden by flags, so a file holds an operator's defaults and a flag changes one of them.
public struct NodeConfiguration: Sendable, Equatable {
    public var host: String
    /// 0 asks the system for a free port; the bound one is announced on `READY`.
    public var port: Int
    /// The directory holding the node's SQLite store (`node.sqlite`), created when missing.
    public var dataDirectory: String
    public var name: String
    /// The node's Ed25519 public key (`Issuer.key` form), when it was started with `--key`.
    public var nodeKey: String?
    /// The node's Ed25519 seed (from the same key file): the node signs order records, effect outcomes and
    /// journal lines with it. Never answered on any route.
    public var signerSeed: [UInt8]?
    /// The anchoring node's `http://HOST:PORT`: the node joins its network (the anchor's log and elections)
    /// instead of keeping its own; nil runs a single node.
    public var anchorURL: String?
    /// The node's weight in placement, 1…`ServiceNode.maximumWeight` (1000): a node of capacity 2 hosts about
    /// twice the instances of one of capacity 1. Registered with the anchor.
    public var capacity: UInt32
    /// `--fault-injection`: serve `POST /v1/faults`, which slows every answer (`NodeFaults`); tests and demos only.
    public var faultInjection: Bool
    /// When dormant instances are put to rest and expired ones retired (`--dormant-after`, `--retain-expired`);
    /// archives go to `archiveDirectory`.
    public var dormantAfter: UInt64
    public var expiredRetention: UInt64
    /// A PostgreSQL schema for the node's journals, heads and resting instances (`--store postgres://…`); nil keeps
    /// them in the embedded `DIR/node.sqlite`.
    public var store: String?

    public init(
        host: String, port: Int, dataDirectory: String, name: String, nodeKey: String? = nil,
        signerSeed: [UInt8]? = nil, anchorURL: String? = nil, capacity: UInt32 = 1, faultInjection: Bool = false,
        dormantAfter: UInt64 = InstanceLifecyclePolicy.defaultDormantAfter,
        expiredRetention: UInt64 = InstanceLifecyclePolicy.defaultExpiredRetention, store: String? = nil
    ) {
        self.store = store
        self.faultInjection = faultInjection
        self.dormantAfter = dormantAfter
        self.expiredRetention = expiredRetention
        self.anchorURL = anchorURL
        self.capacity = capacity
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.name = name
        self.nodeKey = nodeKey
        self.signerSeed = signerSeed
    }

    /// The store file inside the data directory.
    public var storePath: String { dataDirectory + "/node.sqlite" }

    /// Where retired instances' journals are archived, one journal file each.
    public var archiveDirectory: String { dataDirectory + "/archive" }

    /// The lifecycle policy the node's host runs by.
    public var lifecyclePolicy: InstanceLifecyclePolicy {
        InstanceLifecyclePolicy(
            dormantAfter: dormantAfter, expiredRetention: expiredRetention, archiveDirectory: archiveDirectory)
    }

    /// The fields of a config file, each optional; unknown fields are refused so a typo is not silently ignored.
    public struct File: Sendable, Equatable {
        public var listen: String?
        public var data: String?
        public var name: String?
        public var key: String?
        /// TokenScript files to host, in addition to every `--script`.
        public var scripts: [String]?
        /// The anchoring node's URL, as `--anchor`.
        public var anchor: String?
        /// The node's placement weight, as `--capacity`.
        public var capacity: Int?
        /// As `--dormant-after` and `--retain-expired` (`60s`, `30d`).
        public var dormantAfter: String?
        public var retainExpired: String?
        /// A `postgres://` URL, as `--store`.
        public var store: String?

        public init(
            listen: String? = nil, data: String? = nil, name: String? = nil, key: String? = nil,
            scripts: [String]? = nil, anchor: String? = nil, capacity: Int? = nil, dormantAfter: String? = nil,
            retainExpired: String? = nil, store: String? = nil
        ) {
            self.store = store
            self.dormantAfter = dormantAfter
            self.retainExpired = retainExpired
            self.capacity = capacity
            self.anchor = anchor
            self.listen = listen
            self.data = data
            self.name = name
            self.key = key
            self.scripts = scripts
        }

        /// Reads the config file at `path` (strictly: `ServerConfigFile`).
        /// - Throws: `NodeConfigurationError` naming the file and, for a bad field, the field.
        public static func read(_ path: String) throws(NodeConfigurationError) -> File {
            let file = try ServerConfigFile(
                path: path,
                fields: [
                    "listen", "data", "name", "key", "scripts", "anchor", "capacity", "dormantAfter", "retainExpired",
                    "store",
                ])
            return File(
                listen: try file.string("listen"), data: try file.string("data"), name: try file.string("name"),
                key: try file.string("key"), scripts: try file.strings("scripts"), anchor: try file.string("anchor"),
                capacity: try file.integer("capacity").map { Int(clamping: $0) },
                dormantAfter: try file.string("dormantAfter"), retainExpired: try file.string("retainExpired"),
                store: try file.string("store"))
        }
    }

    /// Checks the anchors' URLs: `http://HOST:PORT` (or https), without a path; several anchoring nodes of one
    /// network (sharing one store) separated by commas, tried in turn when one cannot be reached.
    /// - Throws: `NodeConfigurationError` on field `anchor`.
    public static func anchorURL(_ text: String) throws(NodeConfigurationError) -> String {
        var urls: [String] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            let trimmed = item.hasSuffix("/") ? String(item.dropLast()) : item
            guard let components = URLComponents(string: trimmed),
                ["http", "https"].contains(components.scheme ?? ""), let host = components.host, !host.isEmpty,
                components.path.isEmpty, components.query == nil
            else {
                throw NodeConfigurationError(
                    field: "anchor", message: "expected http://HOST:PORT[,http://HOST:PORT…], got \"\(text)\"")
            }
            urls.append(trimmed)
        }
        return urls.joined(separator: ",")
    }

    /// The anchors' URLs, in the order given (`anchorURL` holds them separated by commas).
    public var anchorURLs: [String] { anchorURL.map { $0.split(separator: ",").map(String.init) } ?? [] }

    /// Checks a capacity: a whole number 1…1000.
    /// - Throws: `NodeConfigurationError` on field `capacity`.
    public static func capacity(_ value: Int) throws(NodeConfigurationError) -> UInt32 {
        guard value >= 1, value <= 1_000 else {
            throw NodeConfigurationError(field: "capacity", message: "expected 1…1000, got \(value)")
        }
        return UInt32(value)
    }

    /// Reads a span of time as `--dormant-after` and `--retain-expired` take it: a whole number and a unit,
    /// `s`, `m`, `h` or `d` (`90s`, `30d`), at most ten years.
    /// - Throws: `NodeConfigurationError` on `field`.
    public static func seconds(_ text: String, field: String) throws(NodeConfigurationError) -> UInt64 {
        let units: [Character: UInt64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        guard let unit = text.last.flatMap({ units[$0] }), let count = UInt64(text.dropLast()),
            count <= 3_650 * 86_400 / unit
        else {
            throw NodeConfigurationError(
                field: field, message: "expected a whole number and s, m, h or d (such as 60s or 30d), got \"\(text)\"")
        }
        return count * unit
    }

    /// Splits `HOST:PORT` (`127.0.0.1:0`), the one form `--listen` takes.
    /// - Throws: `NodeConfigurationError` on field `listen` for a missing host or a port outside 0…65535.
    public static func listenAddress(_ text: String) throws(NodeConfigurationError) -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":") else {
            throw NodeConfigurationError(field: "listen", message: "expected HOST:PORT, got \"\(text)\"")
        }
        let host = String(text[..<colon])
        guard !host.isEmpty else {
            throw NodeConfigurationError(field: "listen", message: "no host in \"\(text)\"")
        }
        guard let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw NodeConfigurationError(field: "listen", message: "port must be 0…65535 in \"\(text)\"")
        }
        return (host, port)
    }
}

/// A configuration that cannot start a node, naming the field or flag at fault: the servers' one error shape.
public typealias NodeConfigurationError = ServerConfigurationError
