import ArgumentParser

/// The `tokenscript` command line: each subcommand parses flags and calls the matching library function.
@available(macOS 10.15, *)
package struct TokenScriptCLI: AsyncParsableCommand {
    /// The release this source tree is.
    package static let releaseVersion = "0.1.0"
    /// The commit the executable was built from: the `BuildCommit` plugin writes it, `runFromCommandLine` sets it.
    nonisolated(unsafe) package static var buildCommit = "unknown"
    /// What `--version` prints: `0.1.0 (commit 0123456789ab)`.
    package static var version: String { "\(releaseVersion) (commit \(buildCommit))" }

    /// Initialised on first use (a static `let` is lazy), after `runFromCommandLine` has set `buildCommit`.
    package static let configuration = CommandConfiguration(
        commandName: "tokenscript",
        abstract:
            "An embedded TokenScript runtime: validate, inspect and evaluate TokenScripts, run Lua in the sandbox.",
        version: version,
        subcommands: [
            InitCommand.self, ValidateCommand.self, InspectCommand.self, EvalCommand.self, SandboxCommand.self,
            TestCommand.self,
            DryRunCommand.self, ReplayCommand.self, KeysCommand.self, AttestCommand.self, GrantCommand.self,
            NodeCommand.self, AnchorCommand.self, PinCommand.self, LevelsCommand.self, DevnetCommand.self,
        ]
    )

    package init() {}
}

struct ValidateCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check TokenScript files (files or directories of .xml/.tsml) and report every problem.",
        discussion: """
            Lenient by default: elements and attributes the model does not know are warnings.
            Exit status: 0 when every file is valid, 1 when any file has an error, 2 on bad usage.
            """
    )

    @OptionGroup var options: Validate.Options

    static var library: (Validate.Options, Console) async -> Int32 { Validate.run }
}

struct InspectCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise what a TokenScript declares: contracts, attributes, cards, selections, transactions.",
        discussion: "Exit status: 0 with the summary, 2 when the file cannot be read as a TokenScript or a flag is bad."
    )

    @OptionGroup var options: Inspect.Options

    static var library: (Inspect.Options, Console) async -> Int32 { Inspect.run }
}

@available(macOS 10.15, *)
extension TokenScriptCLI {
    /// The executable's entry point. Parses and runs like `AsyncParsableCommand.main()`, except that a usage
    /// error exits with the one usage status, 2 (ArgumentParser's own is 64), and with `--json` is printed as
    /// the one JSON error object on standard output, so every failure to start a command looks alike.
    /// `commit` is the build's, for `--version`.
    package static func runFromCommandLine(commit: String) async {
        buildCommit = commit
        ParentWatch.startIfAsked()
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            let console = Console.standard
            if arguments.contains("--json") {
                _ = console.report(CommandFailure(message(for: error)), json: true)
            } else {
                console.err(fullMessage(for: error))
            }
            exit(withError: ExitCode(CommandStatus.usage.rawValue))
        }
    }
}
