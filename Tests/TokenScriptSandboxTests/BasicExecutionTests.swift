import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// The ordinary paths: values, errors and the log come back as plain data.
@Suite("Basic execution")
struct BasicExecutionTests {
    @Test("a returned table comes back as JSON with sorted keys")
    func returnsTable() {
        let r = SandboxTestSupport.run("return {b = 2, a = {1, 2.5, 'x'}, c = true}")
        #expect(r.status == .ok)
        #expect(r.value?.jsonText == #"{"a":[1,2.5,"x"],"b":2,"c":true}"#)
    }

    @Test("a runtime error is reported with its message and the worker is reused")
    func runtimeError() {
        let r = SandboxTestSupport.run("error('boom')")
        #expect(r.status == .error)
        #expect(r.message == "script:1: boom")
        #expect(SandboxTestSupport.run("return 1").value == .int(1))
    }

    @Test("a syntax error is an error, not a crash")
    func syntaxError() {
        let r = SandboxTestSupport.run("return (")
        #expect(r.status == .error)
        #expect(r.message?.contains("script:1:") == true)
    }

    @Test("print goes to the captured log, one line per call")
    func printLog() {
        let r = SandboxTestSupport.run("print('a', 1, nil, {}); print('b'); return 0")
        #expect(r.log == ["a\t1\tnil\ttable", "b"])
    }

    @Test("an error object is never converted with its metamethods")
    func errorObjectTable() {
        let r = SandboxTestSupport.run("error(setmetatable({}, {__tostring = function() while true do end end}))")
        #expect(r.status == .error)
        #expect(r.message == "(error object is a table value)")
    }

    @Test("results are bounded in depth, and functions cannot cross the boundary")
    func boundedResults() {
        let cyclic = SandboxTestSupport.run("local t = {}; t[1] = t; return t")
        #expect(cyclic.status == .error)
        #expect(cyclic.message?.contains("too deep") == true)
        let function = SandboxTestSupport.run("return print")
        #expect(function.status == .error)
        let big = SandboxTestSupport.run("return ('x'):rep(2000000)")
        #expect(big.status == .error)
        #expect(big.message?.contains("too large") == true)
    }

    @Test("the library set is exactly the allowlist")
    func libraryAudit() {
        let r = SandboxTestSupport.run(
            """
            local names = {}
            for k, v in pairs(_G) do
              if type(v) == 'table' and k ~= '_G' then
                for m in pairs(v) do names[#names + 1] = k .. '.' .. m end
              else names[#names + 1] = k end
            end
            table.sort(names)
            return table.concat(names, ' ')
            """, mode: .deterministic(seed: 1))
        guard case .string(let names)? = r.value else {
            Issue.record("no names: \(r)")
            return
        }
        let present = Set(names.split(separator: " ").map(String.init))
        for banned in [
            "dofile", "loadfile", "require", "package", "io", "debug", "string.dump", "os.execute", "os.getenv",
            "os.exit", "os.remove", "coroutine.close", "math.randomseed", "warn", "utf8.dump",
        ] {
            #expect(!present.contains(banned), "\(banned) must not be reachable")
        }
        for expected in [
            "print", "load", "pcall", "xpcall", "string.format", "table.sort", "math.random", "os.time", "utf8.char",
            "host.log", "host.input",
        ] {
            #expect(present.contains(expected), "\(expected) should be available")
        }
    }

    @Test("tostring and string.format never show addresses")
    func noAddresses() {
        let r = SandboxTestSupport.run(
            "return tostring({}) .. tostring(print) .. string.format('%s %s', {}, coroutine.create(print))")
        #expect(r.value == .string("tablefunctiontable thread"))
        let p = SandboxTestSupport.run("return string.format('%5p', {})")
        #expect(p.status == .error)
    }

    @Test("a script larger than the source limit is refused before any worker sees it")
    func sourceLimit() {
        let r = SandboxTestSupport.run(String(repeating: "-", count: 2000), limits: SandboxLimits(sourceBytes: 1000))
        #expect(r.status == .error)
        #expect(r.workerID == 0)
    }

    @Test("a memory error can be caught inside the script, and is reported as a limit when it is not")
    func memoryLimit() {
        let caught = SandboxTestSupport.run(
            "local ok = pcall(string.rep, 'x', 1 << 26); return ok", limits: SandboxLimits(memoryBytes: 4 << 20))
        #expect(caught.value == .bool(false))
        let uncaught = SandboxTestSupport.run(
            "return #string.rep('x', 1 << 26)", limits: SandboxLimits(memoryBytes: 4 << 20))
        #expect(uncaught.status == .limit)
        #expect(uncaught.limit == .memory)
    }

    @Test("the JSON object has status, limit, message, result and log")
    func jsonShape() {
        let r = SandboxTestSupport.run("print('hi'); return {1}")
        #expect(r.jsonText == #"{"status":"ok","limit":null,"message":null,"result":[1],"log":["hi"]}"#)
    }
}
