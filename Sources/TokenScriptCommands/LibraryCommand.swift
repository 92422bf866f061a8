import ArgumentParser

/// A subcommand that is a thin shell over a library function tests call in-process (`Validate.run`,
/// `Eval.run` …): the command only turns its flags into the function's `Options`, and the shared `run()`
/// calls the function on the real console and exits with the status it returns.
protocol LibraryCommand: AsyncParsableCommand {
    associatedtype Options
    /// The library function this command shells.
    static var library: (Options, Console) async -> Int32 { get }
    /// The parsed flags as the function's options; throws `ValidationError` for a flag it cannot read.
    var options: Options { get throws }
}

extension LibraryCommand {
    func run() async throws {
        let status = await Self.library(try options, .standard)
        if status != 0 { throw ExitCode(status) }
    }
}
