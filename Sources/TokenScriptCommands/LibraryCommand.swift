import ArgumentParser

/// A subcommand that is a thin shell over a library function tests call in-process (`Validate.run`,
/// `Eval.run` …): the function's `Options` declare the flags (they are the command's `@OptionGroup`), and the
/// shared `run()` calls the function on the real console and exits with the status it returns.
protocol LibraryCommand: AsyncParsableCommand {
    associatedtype Options: ParsableArguments
    /// The library function this command shells.
    static var library: (Options, Console) async -> Int32 { get }
    /// The parsed flags, declared once in the library's `Options`.
    var options: Options { get }
}

extension LibraryCommand {
    func run() async throws {
        let status = await Self.library(options, .standard)
        if status != 0 { throw ExitCode(status) }
    }
}
