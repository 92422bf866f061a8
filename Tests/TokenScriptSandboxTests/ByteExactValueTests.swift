import Testing
import TokenScriptJSON

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// Values crossing from Lua keep their exact bytes: keys that are canonically equivalent Unicode
/// (NFC `é` and NFD `e` + U+0301) stay two members, strings that are not UTF-8 are refused with their
/// path, and the canonical output does not depend on the worker, its hash seed or the mode.
@Suite("Byte-exact values from Lua")
struct ByteExactValueTests {
    /// A labelled script and the canonical output it must give on every run.
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let source: String
        let expected: String
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "NFC and NFD spellings of one key, at the top and nested",
            source:
                #"return {["\u{E9}"] = 1, ["e\u{301}"] = 2, inner = "#
                + #"{["\u{E9}t\u{E9}"] = "nfc", ["e\u{301}te\u{301}"] = "nfd"}}"#,
            expected:
                "{\"e\u{301}\":2,\"inner\":{\"e\u{301}te\u{301}\":\"nfd\",\"\u{E9}t\u{E9}\":\"nfc\"},\"\u{E9}\":1}"),
        Case(
            label: "integer and float edge values",
            source: """
                return {maxinteger = math.maxinteger, mininteger = math.mininteger, p53 = 2^53, p53i = 1 << 53,
                        negzero = -0.0, big = 1e308, tiny = 5e-324, third = 1/3, one = 1.0,
                        list = {math.maxinteger, -0.0, 2^53, 0}}
                """,
            expected:
                #"{"big":1e308,"list":[9223372036854775807,-0.0,9007199254740992.0,0],"#
                + #""maxinteger":9223372036854775807,"mininteger":-9223372036854775808,"negzero":-0.0,"#
                + #""one":1.0,"p53":9007199254740992.0,"p53i":9007199254740992,"#
                + #""third":0.3333333333333333,"tiny":5e-324}"#),
        Case(
            label: "a string that is not UTF-8 is refused with its path",
            source: #"return {state = {ab = {1, 2, 3, "\xff"}}}"#,
            expected:
                #"{"status":"error","limit":null,"#
                + #""message":"result.state.ab[3]: not valid UTF-8","result":null,"log":[]}"#
        ),
        Case(
            label: "a key that is not UTF-8 is refused with the path of its table",
            source: #"return {x = {["\xc3\x28"] = 1, ok = 2}}"#,
            expected:
                #"{"status":"error","limit":null,"#
                + #""message":"result.x: a key is not valid UTF-8 (bytes c3 28)","result":null,"log":[]}"#
        ),
        Case(
            label: "of several refusals the least path and bytes is reported, whatever Lua's table order",
            source: #"return {["\xff"] = 1, ["\xfe"] = 2, ["\xfd"] = {"\x80"}, ok = {"\xc0\xaf"}}"#,
            expected:
                #"{"status":"error","limit":null,"#
                + #""message":"result: a key is not valid UTF-8 (bytes fd)","result":null,"log":[]}"#
        ),
        Case(
            label: "a host call with an argument that is not UTF-8 fails in the script",
            source: #"local ok, message = pcall(host.log, "\xfe"); return {ok = ok, message = message}"#,
            expected: #"{"message":"host.log: arguments[0]: not valid UTF-8","ok":false}"#),
    ]

    /// The canonical text of a run: the value for ok runs, the whole result otherwise.
    static func output(_ result: SandboxResult) -> String {
        result.status == .ok ? (result.value ?? .null).jsonText : result.jsonText
    }

    @Test("each script gives its exact canonical output", arguments: cases)
    func exactOutput(_ script: Case) {
        let result = SandboxTestSupport.run(script.source, mode: .deterministic(seed: 7, logicalTime: 0))
        #expect(Self.output(result) == script.expected)
    }

    /// Many keys, in NFC and NFD pairs, so Lua's per-state hash order differs between workers.
    static let manyKeys = #"""
        local t = {}
        for i = 1, 1500 do
          t["\u{E9}" .. i] = i; t["e\u{301}" .. i] = -i; t["k" .. i] = i * 0.5
        end
        t[1] = "one"; t["1"] = "string one"
        return t
        """#

    @Test("20 runs on fresh workers, in both modes, give byte-identical canonical output")
    func identicalOnFreshWorkers() throws {
        var outputs: [String: Set<String>] = [:]
        for run in 0..<20 {
            let pool = try SandboxPool(configuration: .init(size: 1))
            defer { pool.shutdown() }
            let mode: SandboxMode = run.isMultiple(of: 2) ? .deterministic(seed: 7, logicalTime: 0) : .nondeterministic
            for script in Self.cases.map(\.source) + [Self.manyKeys] {
                let result = pool.runBlocking(SandboxExecution(source: script, mode: mode))
                outputs[script, default: []].insert(Self.output(result))
            }
        }
        for (script, texts) in outputs { #expect(texts.count == 1, "\(script.prefix(60))") }
        let many = try #require(outputs[Self.manyKeys]?.first)
        let members = try #require(JSONReader.read(many).objectValue)
        #expect(members.count == 4501)  // the integer key 1 yields to the string key "1"
        #expect(members["\u{E9}7"] == .integer(7))
        #expect(members["e\u{301}7"] == .integer(-7))
        #expect(members["1"] == .string("string one"))
    }
}
