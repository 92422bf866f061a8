import ArgumentParser
import TokenScriptAnchorClient
import TokenScriptAttestation

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
        guard options.anchor.hasPrefix("http://") || options.anchor.hasPrefix("https://") else {
            return console.report(
                CommandFailure("--anchor must be http://HOST:PORT, got \(options.anchor)", field: "--anchor"),
                json: options.json)
        }
        let signer: Ed25519AttestationSigner
        do {
            let file = try KeyFile.read(options.key)
            guard let seed = file.ed25519Seed else {
                return console.report(
                    CommandFailure("--key \(options.key): an operator signs with ed25519, not \(file.scheme)"),
                    json: options.json)
            }
            signer = try Ed25519AttestationSigner(seed: seed)
        } catch {
            return console.report(CommandFailure("\(error)", field: "--key"), json: options.json)
        }
        let connection = AnchorConnection(
            anchorURL: options.anchor, signer: NodeRequestSigner(name: options.name, signer: signer))
        let placement = RemotePlacement(connection: connection, url: options.anchor)
        do {
            let hosts = try await placement.pinned(options.instance, to: options.nodes)
            let answer = Answer(instance: options.instance, pinned: options.nodes, hosts: hosts)
            if options.json {
                console.out(JSONOutput.encode(answer))
            } else {
                let pinned = options.nodes.isEmpty ? "unpinned" : "pinned to \(options.nodes.joined(separator: ", "))"
                console.out("\(options.instance) \(pinned); hosts: \(hosts.map(\.id).joined(separator: ", "))")
            }
            return CommandStatus.success.rawValue
        } catch let error as AnchorClientError where error.status >= 400 && error.status < 500 {
            _ = console.report(
                CommandFailure("the anchor refused: \(error.message) (\(error.code))", field: error.field),
                json: options.json)
            return CommandStatus.failed.rawValue
        } catch {
            return console.report(CommandFailure("cannot pin at \(options.anchor): \(error)"), json: options.json)
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
