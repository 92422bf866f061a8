import ArgumentParser
import Logging
import TokenScriptArithmetic
import TokenScriptEffects
import TokenScriptNode
import TokenScriptSandbox

/// `tokenscript node`: resolves the config file and flags into a `NodeConfiguration` and runs the service
/// node (TokenScriptNode) until SIGTERM. The line `READY http://HOST:PORT` on standard output says it serves;
/// logs go to standard error.
enum Node {
    struct Options: ParsableArguments {
        @Option(
            name: .customLong("config"),
            help: ArgumentHelp(
                "A JSON config file: {\"listen\", \"data\", \"name\", \"key\", \"scripts\", \"anchor\", "
                    + "\"capacity\"}."))
        var configFile: String?

        @Option(help: "HOST:PORT to listen on; port 0 takes a free port (default 127.0.0.1:8080).")
        var listen: String?

        @Option(help: "The data directory; the node's SQLite store is DIR/node.sqlite.")
        var data: String?

        @Option(help: "The node's name, in logs and on /health (default node).")
        var name: String?

        @Option(help: "The node's ed25519 key file, from `tokenscript keys new`.")
        var key: String?

        @Option(name: .customLong("script"), help: "A TokenScript to host instances of (repeatable).")
        var scripts: [String] = []

        @Option(help: "The anchoring node's http://HOST:PORT: join its network (its log, its elections).")
        var anchor: String?

        @Option(help: "The node's placement weight, 1…1000 (1): capacity 2 hosts about twice the instances.")
        var capacity: Int?

        @Option(
            name: .customLong("executor-key"),
            help: "Another node's 0x ed25519 key, trusted as an executor of effects (repeatable; a network's nodes).")
        var executorKeys: [String] = []

        @Option(
            name: .customLong("anchor-key"),
            help: "The anchoring node's 0x ed25519 key, trusted for the outcomes it routes (default: --key's).")
        var anchorKey: String?

        /// Where effects may send requests (`--allow-egress`, `--allow-http`).
        @OptionGroup var egress: EgressOptions

        init() {}
    }

    /// Runs the node; 0 after a graceful shutdown, 2 when the configuration is bad or the store cannot open.
    static func run(_ options: Options, console: Console) async -> Int32 {
        let configuration: NodeConfiguration
        do { configuration = try resolve(options) } catch {
            return console.report(CommandFailure("\(error)"), json: false)
        }
        let logger = Logger(label: "tokenscript.node.\(configuration.name)") {
            StreamLogHandler.standardError(label: $0)
        }
        var hosting: NodeHosting?
        var pool: SandboxPool?
        defer { pool?.shutdown() }
        do {
            let paths = try scriptPaths(options)
            if !paths.isEmpty {
                guard let nodeKey = configuration.nodeKey else {
                    throw NodeConfigurationError(field: "key", message: "a node hosting scripts needs its --key")
                }
                for (field, key) in options.executorKeys.map({ ("executor-key", $0) })
                    + [options.anchorKey]
                    .compactMap({ $0 }).map({ ("anchor-key", $0) })
                where !Node.isEd25519Key(key) {
                    throw NodeConfigurationError(field: field, message: "expected a 0x ed25519 public key, got \(key)")
                }
                let scripts = try NodeScripts.load(
                    paths, nodeKey: nodeKey, peerKeys: options.executorKeys, anchorKey: options.anchorKey)
                let started = try SandboxPool(configuration: .init(size: 2))
                pool = started
                hosting = NodeHosting(
                    scripts: scripts, runtime: started,
                    effectTransport: HTTPEffectTransport(policy: try options.egress.policy()))
            }
        } catch {
            return console.report(CommandFailure("\(error)"), json: false)
        }
        do {
            try await NodeProcess.run(configuration, hosting: hosting, logger: logger) { line in console.out(line) }
            return CommandStatus.success.rawValue
        } catch {
            return console.report(CommandFailure("\(error)"), json: false)
        }
    }

    /// `0x` and 64 hex digits: an Ed25519 public key as `Issuer.key` writes it.
    static func isEd25519Key(_ text: String) -> Bool {
        text.hasPrefix("0x") && text.count == 66 && text.dropFirst(2).allSatisfy(\.isHexDigit)
    }

    /// The config file's `scripts`, then every `--script`.
    static func scriptPaths(_ options: Options) throws -> [String] {
        var paths: [String] = []
        if let path = options.configFile { paths = try NodeConfiguration.File.read(path).scripts ?? [] }
        return paths + options.scripts
    }

    /// The configuration: the file's fields, each overridden by its flag.
    static func resolve(_ options: Options) throws -> NodeConfiguration {
        var file: NodeConfiguration.File?
        if let path = options.configFile { file = try NodeConfiguration.File.read(path) }
        let listen = try NodeConfiguration.listenAddress(options.listen ?? file?.listen ?? "127.0.0.1:8080")
        guard let data = options.data ?? file?.data, !data.isEmpty else {
            throw NodeConfigurationError(field: "data", message: "required: --data DIR or \"data\" in the config file")
        }
        var nodeKey: String?
        var seed: [UInt8]?
        if let keyPath = options.key ?? file?.key {
            let keyFile = try KeyFile.read(keyPath)
            guard keyFile.scheme == "ed25519" else {
                throw NodeConfigurationError(field: "key", message: "a node signs with ed25519, not \(keyFile.scheme)")
            }
            nodeKey = keyFile.issuerKey
            seed = Hex.decode(keyFile.privateKey)
        }
        let anchor = try (options.anchor ?? file?.anchor).map(NodeConfiguration.anchorURL)
        if anchor != nil, seed == nil {
            throw NodeConfigurationError(field: "key", message: "a node joining an anchor signs with its --key")
        }
        return NodeConfiguration(
            host: listen.host, port: listen.port, dataDirectory: data, name: options.name ?? file?.name ?? "node",
            nodeKey: nodeKey, signerSeed: seed, anchorURL: anchor,
            capacity: try NodeConfiguration.capacity(options.capacity ?? file?.capacity ?? 1))
    }
}

struct NodeCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a service node hosting the instances of its --script TokenScripts over its SQLite store.",
        discussion: """
            Prints READY http://HOST:PORT once it serves; stops gracefully on SIGTERM or SIGINT (exit 0).
            Exit status 2 when the configuration is bad or the store cannot be opened.
            """
    )

    @OptionGroup var options: Node.Options

    static var library: (Node.Options, Console) async -> Int32 { Node.run }
}
