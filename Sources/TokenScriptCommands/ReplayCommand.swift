import ArgumentParser

struct ReplayCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Verify token instances' journals (hash chain, signature, snapshots) and re-run them in the sandbox.",
        discussion: """
            The journal's hash chain is always verified; every line's signature is verified against the key the
            journal names, and that key against --journal-key when given (without it the report says "unverified").
            The first altered line is reported with its step and field; a divergence as non-determinism, naming the
            step, the trigger and the differing fields.
            Exit status: 0 when every step reproduces, 1 on a divergence or when the journal was altered (chain,
            snapshot or signature broken, or signed by another key; --json "outcome" tells them apart), 2 when the
            journal or script is unusable. Several journals (of one TokenScript) are checked in one run, one result
            line each (--json: "journals"); the exit status is then the highest of theirs.
            """
    )

    @OptionGroup var options: ReplayJournal.Options

    static var library: (ReplayJournal.Options, Console) async -> Int32 { ReplayJournal.run }
}
