import TokenScriptRuntime

/// Compile-only runs: Lua chunks checked for syntax inside a sandboxed worker, never run.
///
/// The worker's `load` compiles a string chunk in text mode and returns the function or the error; the program
/// below calls it for every chunk and returns only the errors, so none of the chunks' code executes. All the
/// chunks of a document travel in one execution, one worker round trip.
extension SandboxPool {
    /// A chunk to compile: the name Lua's messages start with (`trigger lounge-access`) and the text.
    public struct CompileRequest: Sendable, Hashable {
        public var chunkName: String
        public var source: String

        public init(chunkName: String, source: String) {
            self.chunkName = chunkName
            self.source = source
        }
    }

    /// Why the check itself could not be made (not a syntax error of a chunk).
    public struct CompileCheckFailure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The program: `host.input()` is a list of `{name, text}`; it returns `{{index, message}, …}` for those
    /// that do not compile.
    static let compileProgram = """
        local problems = {}
        for index, chunk in ipairs(host.input()) do
          local compiled, problem = load(chunk[2], "=" .. chunk[1], "t")
          if not compiled then problems[#problems + 1] = {index, tostring(problem)} end
        end
        return problems
        """

    /// Lua's message for each chunk that does not compile (`trigger t:3: unexpected symbol near 'x'`), by
    /// position in `chunks`; chunks that compile are absent. Blocks the calling thread.
    public func compileBlocking(_ chunks: [CompileRequest]) throws(CompileCheckFailure) -> [Int: String] {
        guard !chunks.isEmpty else { return [:] }
        let input = SandboxValue.array(chunks.map { .array([.string($0.chunkName), .string($0.source)]) })
        let result = runBlocking(
            SandboxExecution(source: Self.compileProgram, input: input, hostFunctions: [.input]))
        guard result.status == .ok else {
            let reason = result.limit.map { "\($0.rawValue) limit" } ?? result.status.rawValue
            throw CompileCheckFailure(
                description: "the Lua check did not complete (\(reason)): \(result.message ?? "")")
        }
        var problems: [Int: String] = [:]
        let items: [SandboxValue]
        switch result.value {
        case .array(let list)?: items = list
        case .object(let members)? where members.isEmpty: items = []
        default: throw CompileCheckFailure(description: "the Lua check returned an unexpected value")
        }
        for item in items {
            guard case .array(let pair) = item, pair.count == 2, case .int(let index) = pair[0],
                case .string(let message) = pair[1], index >= 1, index <= chunks.count
            else { throw CompileCheckFailure(description: "the Lua check returned an unexpected value") }
            problems[Int(index) - 1] = message
        }
        return problems
    }
}
