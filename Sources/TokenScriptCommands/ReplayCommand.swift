import ArgumentParser

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Verify token instances' journals (hash chain, signature, snapshots) and re-run them in the sandbox.",
        discussion: """
            The journal's hash chain is always verified; every line's signature is verified against the key the
            journal names, and that key against --journal-key when given (without it the report says "unverified").
            The first altered line is reported with its step and field; a divergence as non-determinism, naming the
            step, the trigger and the differing fields.
            Exit status: 0 when every step reproduces, 1 on a divergence, 2 when the journal or script is unusable,
            3 when the journal was altered (chain, snapshot or signature broken, or signed by another key).
            Several journals (of one TokenScript) are checked in one run, one result line each (--json: an array);
            the exit status is then the highest of theirs.
            """
    )

    @Argument(help: "The journals (JSON Lines, as the engine writes them).")
    var journals: [String]

    @Option(help: "The TokenScript (with its sl:server extension) that produced the journal.")
    var script: String

    @Option(
        help: """
            The writing node's Ed25519 public key (64 hex digits, or a file holding them); the journal must be signed \
            by it.
            """
    )
    var journalKey: String?

    @Flag(help: "Print one JSON object (an array of them for several journals).")
    var json = false

    func validate() throws {
        guard !journals.isEmpty else { throw ValidationError("give at least one journal") }
    }

    func run() async throws {
        var options = ReplayJournal.Options(journals: journals, script: script)
        options.json = json
        options.journalKey = journalKey
        let status = await ReplayJournal.run(options, console: .standard)
        if status != 0 { throw ExitCode(status) }
    }
}
