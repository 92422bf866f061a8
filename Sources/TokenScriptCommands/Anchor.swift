import ArgumentParser
import Logging
import TokenScriptAnchor
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptNode

/// `tokenscript anchor`: resolves the config file and flags into an `AnchorConfiguration` and runs the
/// anchoring node (TokenScriptAnchor) until SIGTERM, with `tokenscript node`'s conventions: the line
/// `READY http://HOST:PORT` on standard output once it serves, logs on standard error.
enum AnchorRun {
    struct Options: ParsableArguments {
        @Option(
            name: .customLong("config"),
            help: ArgumentHelp(
                "A JSON config file: {\"listen\", \"data\", \"name\", \"key\", \"nodeTimeout\", \"leaseTerm\", "
                    + "\"replicas\"}."))
        var configFile: String?

        @Option(help: "HOST:PORT to listen on; port 0 takes a free port (default 127.0.0.1:8090).")
        var listen: String?

        @Option(help: "The data directory; the anchor's SQLite store is DIR/anchor.sqlite.")
        var data: String?

        @Option(help: "The anchor's name, in logs and on /health (default anchor).")
        var name: String?

        @Option(help: "The anchor's ed25519 key file (from `tokenscript keys new`): it signs routed outcomes.")
        var key: String?

        @Option(name: .customLong("node-timeout"), help: "Seconds without a heartbeat before a node is unhealthy (3).")
        var nodeTimeout: UInt64?

        @Option(
            name: .customLong("lease-term"), help: "Seconds an executor lease holds after election or renewal (10).")
        var leaseTerm: UInt64?

        @Option(help: "How many nodes host each instance, 1…64 (3); every node learns it from the anchor.")
        var replicas: Int?

        @OptionGroup var egress: EgressOptions

        init() {}
    }

    /// Runs the anchor; 0 after a graceful shutdown, 2 when the configuration is bad or the store cannot open.
    static func run(_ options: Options, console: Console) async -> Int32 {
        let configuration: AnchorConfiguration
        do { configuration = try resolve(options) } catch {
            return console.report(CommandFailure("\(error)"), json: false)
        }
        let logger = Logger(label: "tokenscript.anchor.\(configuration.name)") {
            StreamLogHandler.standardError(label: $0)
        }
        do {
            try await AnchorProcess.run(configuration, logger: logger) { line in console.out(line) }
            return CommandStatus.success.rawValue
        } catch {
            return console.report(CommandFailure("\(error)"), json: false)
        }
    }

    /// The configuration: the file's fields, each overridden by its flag.
    static func resolve(_ options: Options) throws -> AnchorConfiguration {
        var file: AnchorConfiguration.File?
        if let path = options.configFile { file = try AnchorConfiguration.File.read(path) }
        let listen = try NodeConfiguration.listenAddress(options.listen ?? file?.listen ?? "127.0.0.1:8090")
        guard let data = options.data ?? file?.data, !data.isEmpty else {
            throw AnchorConfigurationError(
                field: "data", message: "required: --data DIR or \"data\" in the config file")
        }
        guard let keyPath = options.key ?? file?.key else {
            throw AnchorConfigurationError(field: "key", message: "required: the anchor signs with its own ed25519 key")
        }
        let keyFile = try KeyFile.read(keyPath)
        guard keyFile.scheme == "ed25519", let seed = Hex.decode(keyFile.privateKey) else {
            throw AnchorConfigurationError(field: "key", message: "an anchor signs with ed25519, not \(keyFile.scheme)")
        }
        let nodeTimeout = options.nodeTimeout ?? file?.nodeTimeout ?? 3
        let leaseTerm = options.leaseTerm ?? file?.leaseTerm ?? 10
        guard nodeTimeout >= 1 else { throw AnchorConfigurationError(field: "node-timeout", message: "at least 1 s") }
        guard leaseTerm >= 1 else { throw AnchorConfigurationError(field: "lease-term", message: "at least 1 s") }
        let replicas = options.replicas ?? file?.replicas ?? 3
        guard (1...AnchorConfiguration.maximumReplicas).contains(replicas) else {
            throw AnchorConfigurationError(
                field: "replicas", message: "expected 1…\(AnchorConfiguration.maximumReplicas), got \(replicas)")
        }
        return AnchorConfiguration(
            host: listen.host, port: listen.port, dataDirectory: data, name: options.name ?? file?.name ?? "anchor",
            signer: try Ed25519AttestationSigner(seed: seed), nodeTimeout: nodeTimeout, leaseTerm: leaseTerm,
            egress: try options.egress.policy(), replicas: replicas)
    }
}

struct AnchorCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "anchor",
        abstract: "Run the anchoring node: the network's log, elections, placement and failure routing over HTTP.",
        discussion: """
            Prints READY http://HOST:PORT once it serves; stops gracefully on SIGTERM or SIGINT (exit 0).
            Exit status 2 when the configuration is bad or the store cannot be opened.
            """
    )

    @OptionGroup var options: AnchorRun.Options

    static var library: (AnchorRun.Options, Console) async -> Int32 { AnchorRun.run }
}
