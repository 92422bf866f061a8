import ArgumentParser
import TokenScriptXML

/// The `tokenscript` command line: each subcommand parses flags and calls the matching library function.
@available(macOS 10.15, *)
package struct TokenScriptCLI: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "tokenscript",
        abstract: "An embedded TokenScript runtime: validate, inspect and evaluate TokenScripts, run Lua in the sandbox.",
        version: "0.1.0",
        subcommands: [
            ValidateCommand.self, InspectCommand.self, EvalCommand.self, SandboxCommand.self, TestCommand.self,
            DryRunCommand.self, ReplayCommand.self,
        ]
    )

    package init() {}
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check TokenScript files (files or directories of .xml/.tsml) and report every problem.",
        discussion: """
            Lenient by default: elements and attributes the model does not know are warnings.
            Exit status: 0 when every file is valid, 1 when any file has an error, 2 on bad usage.
            """
    )

    @Argument(help: "Files or directories to check.")
    var paths: [String]

    @Flag(help: "Treat unknown elements, attributes and values as errors.")
    var strict = false

    @Option(name: .customLong("xsd"), help: "Also validate against the XSD files found under this directory.")
    var xsdDirectory: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .shortAndLong, help: "Show errors only (warnings still count in the summary).")
    var quiet = false

    @Option(help: "Refuse files larger than this many bytes.")
    var maxSize: Int = XMLReadOptions().maximumDocumentBytes

    func run() throws {
        var options = Validate.Options(paths: paths)
        options.strict = strict
        options.xsdDirectory = xsdDirectory
        options.json = json
        options.quiet = quiet
        options.maximumBytes = maxSize
        let status = Validate.run(options, console: .standard)
        if status != 0 { throw ExitCode(status) }
    }
}

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise what a TokenScript declares: contracts, attributes, cards, selections, transactions."
    )

    @Argument(help: "The TokenScript file.")
    var file: String

    @Flag(help: "Print the documented JSON summary.")
    var json = false

    @Flag(help: "Print the complete parsed model as JSON (views included).")
    var model = false

    @Flag(help: "Treat unknown elements, attributes and values as errors.")
    var strict = false

    @Option(help: "Preferred language for labels.")
    var language = "en"

    func run() throws {
        var options = Inspect.Options(file: file)
        options.json = json
        options.model = model
        options.strict = strict
        options.language = language
        let status = Inspect.run(options, console: .standard)
        if status != 0 { throw ExitCode(status) }
    }
}

@available(macOS 10.15, *)
extension TokenScriptCLI {
    /// The executable's entry point; named so the async `main` of `AsyncParsableCommand` is the one called.
    package static func runFromCommandLine() async {
        await (Self.self as any AsyncParsableCommand.Type).main()
    }
}
