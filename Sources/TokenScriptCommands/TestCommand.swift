import ArgumentParser

struct TestCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run TokenScript scenarios and compare each run with its golden snapshot.",
        discussion: """
            Runs every <name>.scenario.json under DIR (default: the current directory) against the TokenScript it
            names, with effects simulated from the scenario's scripted responses (nothing is sent), and compares the
            run with <name>.golden.json, printing a line diff on a difference. The format is documented in
            TokenScripts/flight-ticket.tests/README.md. Requests go through the egress policy (https to public addresses
            only, unless --allow-egress / --allow-http say otherwise); a refused request is shown as REFUSED with the \
            reason.
            Exit status: 0 when every scenario passes, 1 when one fails, 2 when none is found or a flag is bad.
            """
    )

    @OptionGroup var options: ScenarioTest.Options

    static var library: (ScenarioTest.Options, Console) async -> Int32 {
        { options, console in
            options.watch
                ? await ScenarioTest.watch(options, console: console)
                : await ScenarioTest.run(options, console: console)
        }
    }
}
