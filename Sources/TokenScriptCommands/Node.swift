import ArgumentParser
import Foundation
import Logging
import TokenScriptArithmetic
import TokenScriptEffects
import TokenScriptNode
import TokenScriptPostgres
import TokenScriptSandbox

/// `tokenscript node`: resolves the config file and flags into a `NodeConfiguration` and runs the service
/// node (TokenScriptNode) until SIGTERM. The line `READY http://HOST:PORT` on standard output says it serves;
/// logs go to standard error.
enum Node {
    struct Options: ParsableArguments {
        /// `--config`, `--listen` (default 127.0.0.1:8080), `--data`, `--name` (default node), `--key`.
        @OptionGroup var server: ServerOptions

        @Option(name: .customLong("script"), help: "A TokenScript to host instances of (repeatable).")
        var scripts: [String] = []

        @Option(
            help: """
                The anchoring node's http://HOST:PORT: join its network (its log, its elections). Several anchors \
                of one network (sharing a PostgreSQL store), separated by commas: requests fail over between them.
                """)
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

        @Option(
            name: .customLong("dormant-after"),
            help: "Put instances in a dormant state to rest in the store after this long quiet (60s; s, m, h, d).")
        var dormantAfter: String?

        @Option(
            name: .customLong("retain-expired"),
            help: "Retire instances in an expired state after this long quiet, archiving their journals (30d).")
        var retainExpired: String?

        @Option(
            help: """
                postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE?schema=NAME: keep the node's journals, instance heads \
                and resting instances in PostgreSQL, in a schema of this node's own (default: the embedded \
                DIR/node.sqlite).
                """)
        var store: String?

        @Flag(help: "Tests and demos only: serve POST /v1/faults {\"delayMilliseconds\": N}, which slows every answer.")
        var faultInjection = false

        init() {}
    }

    /// Runs the node; 0 after a graceful shutdown, 2 when the configuration is bad or the store cannot open.
    static func run(_ options: Options, console: Console) async -> Int32 {
        let configuration: NodeConfiguration
        let crash: CrashPoint?
        do {
            configuration = try resolve(options)
            // Test-only (Sources/TokenScriptNode/README.md): an unknown point is refused before anything starts.
            crash = try CrashPoint(environment: ProcessInfo.processInfo.environment)
        } catch {
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
                var transport: any EffectTransport = HTTPEffectTransport(policy: try options.egress.policy())
                if let crash { transport = CrashPointTransport(wrapping: transport, crash: crash) }
                hosting = NodeHosting(scripts: scripts, runtime: started, effectTransport: transport)
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
        if let path = options.server.configFile { paths = try NodeConfiguration.File.read(path).scripts ?? [] }
        return paths + options.scripts
    }

    /// The configuration: the file's fields, each overridden by its flag.
    static func resolve(_ options: Options) throws -> NodeConfiguration {
        var file: NodeConfiguration.File?
        if let path = options.server.configFile { file = try NodeConfiguration.File.read(path) }
        let server = try options.server.resolve(
            file: file.map { ($0.listen, $0.data, $0.name, $0.key) }, defaultListen: "127.0.0.1:8080",
            defaultName: "node", server: "a node")
        let anchor = try (options.anchor ?? file?.anchor).map(NodeConfiguration.anchorURL)
        if anchor != nil, server.key == nil {
            throw NodeConfigurationError(field: "key", message: "a node joining an anchor signs with its --key")
        }
        let store = options.store ?? file?.store
        if let store {
            // Read now, so a typo is a configuration error naming the flag, before anything starts.
            do { _ = try PostgresLocation(url: store) } catch {
                throw NodeConfigurationError(field: "store", message: "\(error)")
            }
        }
        return NodeConfiguration(
            host: server.host, port: server.port, dataDirectory: server.dataDirectory, name: server.name,
            nodeKey: server.key?.issuerKey, signerSeed: server.key?.seed, anchorURL: anchor,
            capacity: try NodeConfiguration.capacity(options.capacity ?? file?.capacity ?? 1),
            faultInjection: options.faultInjection,
            dormantAfter: try (options.dormantAfter ?? file?.dormantAfter).map {
                try NodeConfiguration.seconds($0, field: "dormant-after")
            } ?? InstanceLifecyclePolicy.defaultDormantAfter,
            expiredRetention: try (options.retainExpired ?? file?.retainExpired).map {
                try NodeConfiguration.seconds($0, field: "retain-expired")
            } ?? InstanceLifecyclePolicy.defaultExpiredRetention, store: store)
    }
}

struct NodeCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a service node hosting the instances of its --script TokenScripts over its SQLite store.",
        discussion: """
            Prints READY http://HOST:PORT once it serves; stops gracefully on SIGTERM or SIGINT (exit 0).
            Exit status 2 when the configuration is bad or the store cannot be opened.
            --config FILE holds defaults as a JSON object
            {\"listen\", \"data\", \"name\", \"key\", \"scripts\", \"anchor\", \"capacity\",
            \"dormantAfter\", \"retainExpired\"};
            a flag overrides its field.
            Without either, --listen is 127.0.0.1:8080 and --name node.
            Instances in a dormant state rest in the store after --dormant-after quiet and come back on their
            next request or input; instances in an expired state are retired after --retain-expired quiet,
            their journals archived as journal files in DATA/archive (tokenscript replay reads them), and a
            request for one answers 410.
            """
    )

    @OptionGroup var options: Node.Options

    static var library: (Node.Options, Console) async -> Int32 { Node.run }
}
