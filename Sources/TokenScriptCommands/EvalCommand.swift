import ArgumentParser

struct EvalCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a token's attributes against a chain, with selections and card availability.",
        discussion: """
            Values carry their provenance (origin, block, cached). Errors name the attribute and its origin.
            Exit status: 0 when every attribute has a value, 1 when some failed, 2 on bad usage.
            """
    )

    @OptionGroup var options: Eval.Options

    static var library: (Eval.Options, Console) async -> Int32 { Eval.run }
}
