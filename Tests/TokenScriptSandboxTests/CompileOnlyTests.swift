import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// `compileBlocking`: chunks compiled in a worker, never run; syntax errors come back by position and chunk name.
@Suite("Compile-only checks")
struct CompileOnlyTests {
    @Test("syntax errors come back by position, named after their chunk; chunks that compile are absent")
    func syntaxErrors() throws {
        let problems = try SandboxTestSupport.pool.compileBlocking([
            .init(chunkName: "trigger ok", source: "return 1"),
            .init(chunkName: "trigger broken", source: "local a = 1\nreturn (a"),
            .init(chunkName: "computed c", source: "return {a = }"),
        ])
        #expect(problems.keys.sorted() == [1, 2])
        #expect(problems[1]?.hasPrefix("trigger broken:2: ") == true, "\(problems)")
        #expect(problems[2] == "computed c:1: unexpected symbol near '}'")
    }

    @Test("a chunk is compiled, never run: an endless loop returns at once and an error is not raised")
    func neverRuns() throws {
        let problems = try SandboxTestSupport.pool.compileBlocking([
            .init(chunkName: "trigger loop", source: "while true do end"),
            .init(chunkName: "trigger boom", source: "error('ran')"),
            .init(chunkName: "trigger talk", source: "print('ran')"),
        ])
        #expect(problems.isEmpty)
    }

    @Test("binary chunks are refused as text: the check never loads bytecode")
    func bytecodeRefused() throws {
        let problems = try SandboxTestSupport.pool.compileBlocking([
            .init(chunkName: "trigger bytes", source: "\u{1B}Lua\u{54}\u{00}")
        ])
        #expect(problems[0]?.contains("attempt to load a binary chunk") == true, "\(problems)")
    }

    @Test("no chunk, no worker call")
    func empty() throws {
        #expect(try SandboxTestSupport.pool.compileBlocking([]).isEmpty)
    }
}
