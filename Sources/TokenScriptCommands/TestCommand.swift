import ArgumentParser
import TokenScriptEgress

struct TestCommand: AsyncParsableCommand {
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
            Exit status: 0 when every scenario passes, 1 otherwise.
            """
    )

    @Argument(help: "A directory of scenarios (searched recursively), or one .scenario.json file.")
    var directory: String = "."

    @Flag(help: "Re-record the golden snapshots from the current runs.")
    var update = false

    @Flag(help: "Re-run whenever a file changes (polls every 0.5 s) until interrupted.")
    var watch = false

    @Flag(help: "Print one JSON summary.")
    var json = false

    @OptionGroup var egress: EgressOptions

    func run() async throws {
        var options = ScenarioTest.Options(directory: directory)
        options.update = update
        options.json = json
        options.egress = try egress.policy()
        let status =
            watch
            ? await ScenarioTest.watch(options, console: .standard)
            : await ScenarioTest.run(options, console: .standard)
        if status != 0 { throw ExitCode(status) }
    }
}
