import ArgumentParser
import Foundation
import TokenScriptDevnet
import TokenScriptPostgres

/// `tokenscript devnet`: the local network in one command — anchoring nodes (one, or several sharing a PostgreSQL
/// store) and N service nodes as child
/// processes of this executable on 127.0.0.1, the manifest written once all are ready, every child stopped by
/// PID on SIGTERM or SIGINT (exit 0). A child that fails to start or dies is named with its stderr (exit 1).
enum Devnet {
    struct Options: ParsableArguments {
        @Option(help: "The data directory: DIR/anchor, DIR/node-K, DIR/keys, DIR/logs (default a fresh temp dir).")
        var data: String?

        @Option(help: "Where to write the manifest (default DIR/manifest.json).")
        var manifest: String?

        @Option(help: "How many service nodes (1…9).")
        var nodes = 3

        @Flag(help: "Start no anchoring node (service nodes only).")
        var noAnchor = false

        @Option(help: "How many anchoring nodes (1…3); more than one needs --store, which they share.")
        var anchors = 1

        @Option(
            help: """
                postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]: the anchors keep the network's \
                shared state there, and each node its journals in a schema of its own, NAME_node_K (default: \
                the embedded DIR/anchor/anchor.sqlite and DIR/node-K/node.sqlite).
                """)
        var store: String?

        @Flag(
            help: "Also run the demo hotel API and airline on 127.0.0.1 and play the story: flight ticket, smart car.")
        var demo = false

        @Flag(help: "With --demo: exit when the story has played (0 when every expected outcome happened).")
        var once = false

        @Option(help: "Seconds a child may take to print READY.")
        var startTimeout: Double = 30

        @Argument(help: "TokenScript files every service node loads.")
        var tokenScripts: [String] = []

        init() {}
    }

    /// 0 after SIGTERM/SIGINT stopped every child (or, with `--once`, when the story played as expected); 1 when
    /// a child failed to start or died, or the story did not play; 2 on bad usage.
    static func run(_ options: Options, console: Console) async -> Int32 {
        let scripts =
            options.demo && options.tokenScripts.isEmpty ? DevnetDemo.defaultTokenScripts : options.tokenScripts
        let layout: DevnetLayout
        do {
            try check(options, scripts: scripts)
            layout = try DevnetLayout.prepare(
                data: options.data, nodes: options.nodes, anchors: anchorWanted(options) ? options.anchors : 0)
        } catch {
            return console.report(CommandFailure("\(error)"), json: false)
        }
        let signals = DevnetSignals()
        let supervisor = DevnetSupervisor(
            settings: .init(
                executable: DevnetLayout.ownExecutable(), logs: layout.logs, startSeconds: options.startTimeout),
            signals: signals)
        let manifestPath = options.manifest ?? layout.data + "/manifest.json"
        var demo: DevnetDemo?
        let manifest: DevnetManifest
        do {
            var paths = scripts.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            var anchorKey = layout.anchorName.map(layout.keyPath)
            var extra: [String] = []
            if options.demo {
                let started = try await DevnetDemo.start()
                demo = started
                paths = try started.pointScriptsAtHotel(paths, layout: layout)
                anchorKey = try DevnetDemo.anchorKey(layout)
                extra = DevnetDemo.egressFlags + DevnetDemo.nodeFlags
            }
            let storeFlags = options.store.map { ["--store", $0] } ?? []
            let anchors = try layout.anchorSpecs(
                key: anchorKey, extra: storeFlags + (options.demo ? DevnetDemo.egressFlags : []))
            let trust = try anchorKey.map(layout.trustFlags) ?? []
            let shared = try options.store.map { try PostgresLocation(url: $0) }
            let nodeStore = shared.map { shared in { DevnetLayout.nodeStore(shared, node: $0) } }
            manifest = try await supervisor.start(anchors: anchors) { [paths, extra, trust] anchorURL in
                layout.nodeSpecs(
                    scripts: paths, anchorURL: anchorURL, extra: (anchorURL == nil ? [] : trust) + extra,
                    store: nodeStore)
            }
            try manifest.write(to: manifestPath)
        } catch {
            await supervisor.stopAll()
            await demo?.stop()
            console.err("error: \(error)")
            return CommandStatus.failed.rawValue
        }
        DevnetSummary.print(
            manifest, layout: layout, manifestPath: manifestPath, children: supervisor.children,
            anchorSkipped: !anchorWanted(options) && !options.noAnchor, console: console)
        let status = await serve(manifest, supervisor: supervisor, demo: demo, once: options.once, console: console)
        let killed = await supervisor.stopAll()
        await demo?.stop()
        if !killed.isEmpty { console.err("killed after the grace period: \(killed.joined(separator: ", "))") }
        return status
    }

    /// Plays the demo's story (if any) while watching the children; then, unless `once`, serves until a signal
    /// or a child's end.
    static func serve(
        _ manifest: DevnetManifest, supervisor: DevnetSupervisor, demo: DevnetDemo?, once: Bool, console: Console
    ) async -> Int32 {
        if let demo {
            let first = await withTaskGroup(of: DevnetRace.self) { group in
                group.addTask { .story(await demo.play(manifest, supervisor: supervisor, console: console)) }
                group.addTask { .ending(await supervisor.watch()) }
                let first = await group.next() ?? .ending(.cancelled)
                group.cancelAll()
                return first
            }
            switch first {
            case .ending(let ending): return report(ending, console: console)
            case .story(let failures):
                for failure in failures { console.err("not as expected: \(failure)") }
                if once {
                    console.out(
                        failures.isEmpty ? "The story played as expected." : "\(failures.count) outcomes missing.")
                    return failures.isEmpty ? CommandStatus.success.rawValue : CommandStatus.failed.rawValue
                }
                demo.printTryLines(manifest, console: console)
            }
        }
        return report(await supervisor.watch(), console: console)
    }

    static func report(_ ending: DevnetSupervisor.Ending, console: Console) -> Int32 {
        switch ending {
        case .signal(let number):
            console.out("Stopped by \(DevnetSignals.name(number)): every child ended.")
            return CommandStatus.success.rawValue
        case .childEnded(let error):
            console.err("error: \(error)")
            return CommandStatus.failed.rawValue
        case .cancelled:
            return CommandStatus.failed.rawValue
        }
    }

    /// Bad flags, named; nothing is started or written.
    static func check(_ options: Options, scripts: [String]) throws {
        guard (1...9).contains(options.nodes) else {
            throw CommandFailure("--nodes: \(options.nodes) is out of range (1…9)")
        }
        guard options.startTimeout > 0, options.startTimeout <= 600 else {
            throw CommandFailure("--start-timeout: \(options.startTimeout) is out of range (0…600 s)")
        }
        if options.once, !options.demo { throw CommandFailure("--once: only with --demo") }
        guard (1...3).contains(options.anchors) else {
            throw CommandFailure("--anchors: \(options.anchors) is out of range (1…3)")
        }
        if options.anchors > 1, options.store == nil {
            throw CommandFailure(
                "--anchors \(options.anchors): several anchors share one store; give --store postgres://…")
        }
        if let store = options.store {
            do { _ = try PostgresLocation(url: store) } catch { throw CommandFailure("--store: \(error)") }
        }
        if options.noAnchor, options.store != nil || options.anchors > 1 {
            throw CommandFailure("--store, --anchors: no anchoring node runs with --no-anchor")
        }
        for script in scripts where !FileManager.default.isReadableFile(atPath: script) {
            throw CommandFailure("\(script): no such readable file")
        }
    }

    /// An anchoring node unless --no-anchor, and only when this build has `tokenscript anchor`.
    static func anchorWanted(_ options: Options) -> Bool {
        !options.noAnchor && anchorCommandExists
    }

    static var anchorCommandExists: Bool {
        TokenScriptCLI.configuration.subcommands.contains { $0._commandName == "anchor" }
    }
}

/// Whichever ends first: the demo's story or the devnet (a signal, a child's end).
enum DevnetRace: Sendable {
    case story([String])
    case ending(DevnetSupervisor.Ending)
}

struct DevnetCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "devnet",
        abstract: "Start an anchoring node and service nodes on 127.0.0.1 as child processes; write the manifest.",
        discussion: """
            Each child is this executable (`tokenscript anchor …`, `tokenscript node …`) on a free port; the \
            manifest {"anchors":[{"name","url"}],"serviceNodes":[{"name","url"}]} is written atomically once \
            every child printed READY. Children's output goes to DIR/logs/NAME.out and NAME.err.
            SIGTERM or SIGINT stops every child (SIGTERM, SIGKILL after 10 s) and exits 0. Exit status 1 when a \
            child fails to start or dies (named, with the end of its standard error), 2 on bad usage.
            """
    )

    @OptionGroup var options: Devnet.Options

    static var library: (Devnet.Options, Console) async -> Int32 { Devnet.run }
}
