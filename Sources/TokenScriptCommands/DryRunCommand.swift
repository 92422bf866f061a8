import ArgumentParser

struct DryRunCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Show what a TokenScript's server logic would do with some attestations, sending nothing.",
        discussion: """
            Runs the attestations (wire JSON, one per line) through a throwaway instance and shows which triggers fire,
            the path of states, every request an effect would send (method, URL, headers, body) and the cost in reads
            and writes, then answers --query calls to read-only interfaces. No request is ever sent: effect \
            responses come from --responses ({"<effect>": [responses]} as in
            scenario files, or a scenario file), else every attempt gets 200 with no body.
            Requests go through the egress policy as on a node (https to public addresses only, unless --allow-egress /
            --allow-http say otherwise; no DNS lookup: a host name is checked by its text); a refused one is shown as \
            REFUSED
            with the reason.
            --initial starts from a given instance, --arg passes arguments to the --query calls, --advance moves the \
            node's clock so that due schedules fire (signed by the node: --node-key, default a fresh key), and \
            --journal writes the run's journal for tokenscript replay --node-key. The final stored and computed \
            attributes are shown.
            Exit status: 0 after a dry run in which every transition, query and computed attribute completed, \
            1 when one failed, 2 when an input is unusable.
            """
    )

    @OptionGroup var options: DryRun.Options

    static var library: (DryRun.Options, Console) async -> Int32 { DryRun.run }
}
