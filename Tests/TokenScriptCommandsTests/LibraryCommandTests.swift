import Testing

@testable import TokenScriptCommands

/// The subcommands are shells over library functions (`LibraryCommand`): their flags become the options.
@Suite("commands as shells over library functions")
struct LibraryCommandTests {
    @Test("validate's flags become Validate.Options")
    func validateOptions() throws {
        let parsed = try TokenScriptCLI.parseAsRoot([
            "validate", "a.xml", "b", "--strict", "--json", "-q", "--max-size", "7",
        ])
        let command = try #require(parsed as? ValidateCommand)
        let options = command.options
        #expect(options.paths == ["a.xml", "b"])
        #expect(options.strict && options.json && options.quiet)
        #expect(options.maximumBytes == 7 && options.xsdDirectory == nil)
    }

    @Test("eval's repeatable flags arrive in order")
    func evalOptions() throws {
        let parsed = try TokenScriptCLI.parseAsRoot([
            "eval", "t.xml", "--chain", "1=http://127.0.0.1:1", "--chain", "5=http://127.0.0.1:2", "--attribute", "a",
            "--token-id", "0x10", "--timeout", "2",
        ])
        let command = try #require(parsed as? EvalCommand)
        let options = command.options
        #expect(options.file == "t.xml" && options.tokenID == "0x10" && options.timeout == 2)
        #expect(options.chains == ["1=http://127.0.0.1:1", "5=http://127.0.0.1:2"] && options.attributes == ["a"])
    }
}
