import ArgumentParser

struct DryRunCommand: AsyncParsableCommand {
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
            Exit status: 0 after a dry run, 2 when an input is unusable.
            """
    )

    @Argument(help: "The TokenScript with its sl:server extension.")
    var script: String

    @Option(help: "The attestations: wire JSON, one per line (.jsonl).")
    var attestations: String

    @Option(help: "Scripted effect responses (JSON).")
    var responses: String?

    @Option(name: .customLong("env"), help: "Override a ts:env value: NAME=VALUE (repeatable).")
    var environment: [String] = []

    @Option(help: "The receiving node's clock (Unix seconds) for every attestation; default each one's issuedAt.")
    var now: UInt64?

    @Option(
        name: .customLong("query"),
        help: "Call this sl:interface on the final instance, as an integrator would (repeatable).")
    var queries: [String] = []

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var egress: EgressOptions

    func run() async throws {
        var options = DryRun.Options(script: script, attestations: attestations)
        options.egress = try egress.policy()
        options.queries = queries
        options.responses = responses
        options.json = json
        options.now = now
        for pair in environment {
            guard let equals = pair.firstIndex(of: "=") else {
                throw ValidationError("--env expects NAME=VALUE, not \(pair)")
            }
            options.environment[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let status = await DryRun.run(options, console: .standard)
        if status != 0 { throw ExitCode(status) }
    }
}
