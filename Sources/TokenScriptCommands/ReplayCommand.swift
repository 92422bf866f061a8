import ArgumentParser

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run a token instance's journal in the sandbox and verify every state hash.",
        discussion: """
            A divergence is reported as non-determinism, naming the step, the trigger and the differing fields.
            Exit status: 0 when every step reproduces, 1 on a divergence, 2 when the journal or script is unusable.
            """
    )

    @Argument(help: "The journal (JSON Lines, as the engine writes it).")
    var journal: String

    @Option(help: "The TokenScript (with its sl:server extension) that produced the journal.")
    var script: String

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        var options = ReplayJournal.Options(journal: journal, script: script)
        options.json = json
        let status = await ReplayJournal.run(options, console: .standard)
        if status != 0 { throw ExitCode(status) }
    }
}
