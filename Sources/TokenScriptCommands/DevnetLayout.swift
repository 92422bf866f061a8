import Foundation
import TokenScriptDevnet
import TokenScriptPostgres

/// The devnet's data directory and its children: `DIR/anchor` and `DIR/node-K` (each child's store),
/// `DIR/keys/NAME.key` (each child's Ed25519 key, made once and reused on the next start), `DIR/logs`.
struct DevnetLayout {
    var data: String
    var nodeNames: [String]
    /// `anchor` alone, or `anchor-1`, `anchor-2`, … when several share a store.
    var anchorNames: [String]
    /// The first anchor's name: its key file is the network's anchor key, which every anchor signs with.
    var anchorName: String? { anchorNames.first }
    var keys: String { data + "/keys" }
    var logs: String { data + "/logs" }

    /// Makes the directories and any missing key; the data directory is a fresh temporary one when none is given.
    static func prepare(data: String?, nodes: Int, anchors: Int) throws -> DevnetLayout {
        let directory: String
        if let data {
            directory = URL(fileURLWithPath: data).standardizedFileURL.path
        } else {
            directory = NSTemporaryDirectory() + "tokenscript-devnet-" + UUID().uuidString.prefix(8).lowercased()
        }
        do {
            try FileManager.default.createDirectory(atPath: directory + "/keys", withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("--data: cannot create \(directory)/keys: \(error.localizedDescription)")
        }
        let anchorNames = anchors == 1 ? ["anchor"] : (0..<anchors).map { "anchor-\($0 + 1)" }
        let layout = DevnetLayout(
            data: directory, nodeNames: (1...nodes).map { "node-\($0)" }, anchorNames: anchorNames)
        for name in layout.nodeNames + [layout.anchorName].compactMap({ $0 }) {
            try layout.ensureKey(name)
        }
        return layout
    }

    func keyPath(_ name: String) -> String { keys + "/\(name).key" }

    /// The child's key file: read (and checked) when it exists, otherwise made (mode 0600).
    private func ensureKey(_ name: String) throws {
        let path = keyPath(name)
        if FileManager.default.fileExists(atPath: path) {
            _ = try KeyFile.read(path)
            return
        }
        var random = SystemRandomNumberGenerator()
        try KeyFile.generate(scheme: "ed25519", using: &random).create(at: path)
    }

    /// The anchors' children, each signing with `key` (default the first anchor's key file: anchors sharing a
    /// store share the network's anchor key); only the devnet's nodes may join them.
    func anchorSpecs(key: String? = nil, extra: [String] = []) throws -> [DevnetChildSpec] {
        guard let first = anchorName else { return [] }
        let members = try memberFlags()
        return anchorNames.map { name in
            DevnetChildSpec(
                name: name, role: .anchor,
                arguments: DevnetChildCommands.anchor(
                    name: name, data: data + "/" + name, key: key ?? keyPath(first), extra: members + extra))
        }
    }

    /// `--member NAME=0xKEY` for every node of the devnet.
    func memberFlags() throws -> [String] {
        try nodeNames.flatMap { ["--member", "\($0)=\(try KeyFile.read(keyPath($0)).issuerKey)"] }
    }

    /// `store`: each node's `--store`, by name (nil: each keeps its embedded `DIR/node-K/node.sqlite`).
    func nodeSpecs(
        scripts: [String], anchorURL: String?, extra: [String] = [], store: ((String) -> String)? = nil
    ) -> [DevnetChildSpec] {
        nodeNames.map { name in
            DevnetChildSpec(
                name: name, role: .serviceNode,
                arguments: DevnetChildCommands.node(
                    name: name, data: data + "/" + name, key: keyPath(name), scripts: scripts, anchorURL: anchorURL,
                    extra: extra + (store.map { ["--store", $0(name)] } ?? [])))
        }
    }

    /// A node's own schema beside the anchors' (every host keeps its own journals): `<schema>_node_K`, or
    /// `devnet_node_K` beside the default `public` schema.
    static func nodeStore(_ anchors: PostgresLocation, node name: String) -> String {
        var location = anchors
        let base = anchors.schema == PostgresLocation.defaultSchema ? "devnet" : anchors.schema
        location.schema = base + "_" + name.replacingOccurrences(of: "-", with: "_")
        return location.url
    }

    /// With an anchor, every node trusts every node's key as an executor and the anchor's key (`anchorKey`, a
    /// key file) for routed outcomes, so each host applies an outcome whichever node executed it or the anchor
    /// routed.
    func trustFlags(anchorKey: String) throws -> [String] {
        var flags: [String] = []
        for name in nodeNames { flags += ["--executor-key", try KeyFile.read(keyPath(name)).issuerKey] }
        return flags + ["--anchor-key", try KeyFile.read(anchorKey).issuerKey]
    }

    /// This executable: every child runs it with another subcommand.
    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
