import Foundation
import Testing
import TokenScriptTesting

@testable import TokenScriptCommands

/// `tokenscript sandbox run`, called in-process through its core function.
@Suite("sandbox run")
struct SandboxCommandTests {
    static func run(_ source: String, flags: [String] = []) throws -> (Int32, [String: Any], String) {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/script.lua"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        let options = try SandboxRun.Options.parse([path, "--json"] + flags)
        let console = Console.capture()
        let status = SandboxRun.run(options, console: console)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        return (status, object, console.output)
    }

    @Test("--json prints one object with status, limit, message, result and log")
    func okObject() throws {
        let (status, json, text) = try Self.run(
            "print('hello'); return {sum = host.input().a + 1}", flags: ["--input", #"{"a": 41}"#])
        #expect(status == 0)
        #expect(json["status"] as? String == "ok")
        #expect(json["outcome"] as? String == "ok")
        #expect(json["limit"] is NSNull)
        #expect(json["message"] is NSNull)
        #expect((json["result"] as? [String: Any])?["sum"] as? Int == 42)
        #expect(json["log"] as? [String] == ["hello"])
        #expect(text.hasPrefix("{") && text.hasSuffix("}\n"))
    }

    @Test("an endless loop ends at the instruction limit: exit status 1, outcome limit")
    func instructionLimit() throws {
        let (status, json, _) = try Self.run("while true do end", flags: ["--instruction-limit", "100000"])
        #expect(status == 1)
        #expect(json["status"] as? String == "failed")
        #expect(json["outcome"] as? String == "limit")
        #expect(json["limit"] as? String == "instructions")
    }

    @Test("work the instruction budget cannot see ends at the timeout with limit 'time'")
    func timeLimit() throws {
        // Comparing two distinct 16 MiB strings is one VM instruction (a memcmp in C) each time.
        let (status, json, _) = try Self.run(
            "local a, b = ('x'):rep(1 << 24), ('x'):rep(1 << 24) while a == b do end", flags: ["--timeout", "0.3"])
        #expect(status == 1)
        #expect(json["limit"] as? String == "time")
    }

    @Test("a script error exits 1 with its message")
    func scriptError() throws {
        let (status, json, _) = try Self.run("error('nope')")
        #expect(status == 1)
        #expect(json["status"] as? String == "failed")
        #expect(json["outcome"] as? String == "error")
        #expect(json["message"] as? String == "script:1: nope")
    }

    @Test("the memory limit is reported as limit 'memory'")
    func memoryLimit() throws {
        let (status, json, _) = try Self.run(
            "local t = {} for i = 1, 1e8 do t[i] = i end", flags: ["--memory-limit", "\(1 << 20)"])
        #expect(status == 1)
        #expect(json["limit"] as? String == "memory")
    }

    @Test("deterministic runs with the same seed print the same bytes")
    func deterministic() throws {
        let script =
            "local t = {} for i = 1, 50 do t['k' .. i] = math.random(100) end local "
            + "o = {} for k, v in pairs(t) do o[#o+1] = k .. v end return table.concat(o)"
        let (_, _, a) = try Self.run(script, flags: ["--deterministic", "--seed", "7"])
        let (_, _, b) = try Self.run(script, flags: ["--deterministic", "--seed", "7"])
        #expect(a == b)
    }

    @Test("a missing file is reported as the one JSON error object, with exit status 2")
    func missingFile() throws {
        let options = try SandboxRun.Options.parse(["/nonexistent/script.lua", "--json"])
        let console = Console.capture()
        #expect(SandboxRun.run(options, console: console) == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "error")
        let error = try #require(object["error"] as? [String: Any])
        #expect((error["message"] as? String)?.contains("/nonexistent/script.lua") == true)
    }

    @Test("the command parses the documented flags")
    func parsesFlags() throws {
        let command = try SandboxCommand.parseAsRoot([
            "run", "x.lua", "--input", "{}", "--memory-limit", "1048576", "--instruction-limit", "5", "--timeout",
            "1.5",
            "--deterministic", "--seed", "3", "--json",
        ])
        #expect(command is SandboxRunCommand)
    }
}
