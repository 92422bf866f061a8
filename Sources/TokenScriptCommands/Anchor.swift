import ArgumentParser
import Logging
import TokenScriptAnchor
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptNode
import TokenScriptPostgres

/// `tokenscript anchor`: resolves the config file and flags into an `AnchorConfiguration` and runs the
/// anchoring node (TokenScriptAnchor) until SIGTERM, with `tokenscript node`'s conventions: the line
/// `READY http://HOST:PORT` on standard output once it serves, logs on standard error.
enum AnchorRun {
    struct Options: ParsableArguments {
        /// `--config`, `--listen` (default 127.0.0.1:8090), `--data`, `--name` (default anchor), `--key`.
        @OptionGroup var server: ServerOptions

        @Option(name: .customLong("node-timeout"), help: "Seconds without a heartbeat before a node is unhealthy (3).")
        var nodeTimeout: UInt64?

        @Option(
            name: .customLong("lease-term"), help: "Seconds an executor lease holds after election or renewal (10).")
        var leaseTerm: UInt64?

        @Option(help: "How many nodes host each instance, 1…64 (3); every node learns it from the anchor.")
        var replicas: Int?

        @Option(
            name: .customLong("member"),
            help: """
                NAME=0xKEY: a node allowed to join, with its ed25519 key (repeatable; replaces the config's \
                members). Without any, any key may register a new name.
                """)
        var members: [String] = []

        @Option(
            name: .customLong("operator"),
            help: """
                NAME=0xKEY: an operator, with its ed25519 key, who may pin instances to nodes (`tokenscript pin`; \
                repeatable; replaces the config's operators). Without any, nobody can pin.
                """)
        var operators: [String] = []

        @Option(
            name: .customLong("objective"),
            help: """
                NAME=PERCENT,LATENCYms[,PERIODd]: a node's service objective, such as n1=99.95,500ms (repeatable; \
                replaces the config's objectives). Others: 99.9 %, 1000 ms, 30 days.
                """)
        var objectives: [String] = []

        @Option(
            help: """
                postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]: keep the network's shared state in \
                PostgreSQL, shared with its other anchors (default: the embedded DIR/anchor.sqlite).
                """)
        var store: String?

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
        if let path = options.server.configFile { file = try AnchorConfiguration.File.read(path) }
        let server = try options.server.resolve(
            file: file.map { ($0.listen, $0.data, $0.name, $0.key) }, defaultListen: "127.0.0.1:8090",
            defaultName: "anchor", server: "an anchor")
        guard let key = server.key else {
            throw AnchorConfigurationError(field: "key", message: "required: the anchor signs with its own ed25519 key")
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
        let memberTexts = options.members.isEmpty ? file?.members : options.members
        let members = try memberTexts.map(AnchorConfiguration.members)
        let operators = try AnchorConfiguration.operators(
            options.operators.isEmpty ? file?.operators ?? [] : options.operators)
        let objectives = try AnchorObjectives.parse(
            options.objectives.isEmpty ? file?.objectives ?? [] : options.objectives)
        let store = options.store ?? file?.store
        if let store {
            // Read now, so a typo is a configuration error naming the flag, before anything starts.
            do { _ = try PostgresLocation(url: store) } catch {
                throw AnchorConfigurationError(field: "store", message: "\(error)")
            }
        }
        return AnchorConfiguration(
            host: server.host, port: server.port, dataDirectory: server.dataDirectory, name: server.name,
            signer: try Ed25519AttestationSigner(seed: key.seed), nodeTimeout: nodeTimeout, leaseTerm: leaseTerm,
            egress: try options.egress.policy(), replicas: replicas, members: members,
            operators: operators, objectives: objectives, store: store)
    }
}

struct AnchorCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "anchor",
        abstract: "Run the anchoring node: the network's log, elections, placement and failure routing over HTTP.",
        discussion: """
            Prints READY http://HOST:PORT once it serves; stops gracefully on SIGTERM or SIGINT (exit 0).
            Exit status 2 when the configuration is bad or the store cannot be opened.
            --config FILE holds defaults as a JSON object
            {\"listen\", \"data\", \"name\", \"key\", \"nodeTimeout\", \"leaseTerm\", \"replicas\", \"members\",
            \"operators\", \"objectives\", \"store\"};
            --store postgres://… keeps the state in PostgreSQL, where several anchors of one network share it (they \
            share the network's anchor --key too).
            a flag overrides its field.
            Without either, --listen is 127.0.0.1:8090 and --name anchor.
            """
    )

    @OptionGroup var options: AnchorRun.Options

    static var library: (AnchorRun.Options, Console) async -> Int32 { AnchorRun.run }
}
