import ArgumentParser
import TokenScriptAnchorClient

/// `tokenscript pin INSTANCE [NODE…] --anchor URL --key FILE --name NAME`: an operator pins an instance to nodes
/// (or, with no node, unpins it) on an anchoring node, which places pinned healthy nodes first.
///
/// Pins choose an instance's hosts and so its executor, so the anchor takes them only from the operators it
/// was started with (`tokenscript anchor --operator NAME=0xKEY`), never from a node. Exit status 0 with the
/// instance's hosts after the change, 1 when the anchor refuses (a 4xx: not an operator, an unknown node),
/// 2 when the command cannot ask (a bad key file, no anchor answering).
package enum Pin {
    package struct Options: ParsableArguments, Sendable {
        @Argument(help: "The instance to pin.")
        package var instance: String

        @Argument(help: "The nodes to pin it to, best first; none unpins it.")
        package var nodes: [String] = []

        @Option(help: "The anchoring node, http://HOST:PORT.")
        package var anchor: String

        @Option(help: "The operator's ed25519 key file (from `tokenscript keys new`).")
        package var key: String

        @Option(help: "The operator's name, as the anchor's --operator gives it.")
        package var name: String

        @Flag(help: "Print one JSON object: {\"instance\", \"pinned\", \"hosts\": [{\"id\", \"weight\"}]}.")
        package var json = false

        package init() {}
    }

    struct Answer: Encodable {
        var instance: String
        var pinned: [String]
        var hosts: [AnchorMessages.Host]
    }

    package static func run(_ options: Options, console: Console) async -> Int32 {
        await AnchorRequest.run(
            anchor: options.anchor, keyPath: options.key, name: options.name, what: "pin", json: options.json,
            console: console
        ) { connection in
            let placement = RemotePlacement(connection: connection, url: options.anchor)
            let hosts = try await placement.pinned(options.instance, to: options.nodes)
            if options.json {
                console.out(JSONOutput.encode(Answer(instance: options.instance, pinned: options.nodes, hosts: hosts)))
            } else {
                let pinned = options.nodes.isEmpty ? "unpinned" : "pinned to \(options.nodes.joined(separator: ", "))"
                console.out("\(options.instance) \(pinned); hosts: \(hosts.map(\.id).joined(separator: ", "))")
            }
        }
    }
}

struct PinCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Pin an instance to nodes on an anchoring node (operators only).",
        discussion: """
            The anchor places pinned healthy nodes first, then by rendezvous; only the operators it was started \
            with (--operator NAME=0xKEY) may pin. Exit 0 with the hosts after the change, 1 when the anchor \
            refuses, 2 when the command cannot ask.
            """
    )

    @OptionGroup var options: Pin.Options

    static var library: (Pin.Options, Console) async -> Int32 { Pin.run }
}
