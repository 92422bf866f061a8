import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// Host functions travel as messages to the parent and only exist when granted.
@Suite("Host functions")
struct HostFunctionTests {
    /// Test-only: returns its arguments, so the round trip of every value kind is visible.
    static let echo = HostFunction(name: "echo") { arguments, _ in .array(arguments) }

    static let fail = HostFunction(name: "fail") { _, _ in throw HostFunctionError("refused by host") }

    @Test("echo round-trips plain data through the parent")
    func echoRoundTrip() {
        let r = SandboxTestSupport.run(
            "return host.echo(1, 2.5, 'x', true, {1, 2}, {a = {b = 'c'}})", hostFunctions: [Self.echo])
        #expect(r.value?.jsonText == #"[1,2.5,"x",true,[1,2],{"a":{"b":"c"}}]"#)
        // A nil argument leaves a hole, and a Lua table with a hole is not a sequence.
        let holey = SandboxTestSupport.run("return host.echo(1, nil, 3)", hostFunctions: [Self.echo])
        #expect(holey.value?.jsonText == #"{"1":1,"3":3}"#)
    }

    @Test("host.input returns the execution's input")
    func input() {
        let r = SandboxTestSupport.run("return host.input().n * 2", input: .object(["n": .int(21)]))
        #expect(r.value == .int(42))
    }

    @Test("host.input answers from the run frame: the same value every call, after other host calls too")
    func inputCarried() {
        let r = SandboxTestSupport.run(
            "local a = host.input(); local b = host.echo('between'); local c = host.input()"
                + "; return {a.s, b[1], c.list[2], c.s == a.s}",
            input: .object(["s": .string("é ✓"), "list": .array([.int(1), .double(2.5), .null, .bool(true)])]),
            hostFunctions: [.input, Self.echo])
        #expect(r.value?.jsonText == #"["é ✓","between",2.5,true]"#)
    }

    @Test("an input over the reply limit is not carried: host.input() is refused as a reply over it is")
    func inputOverReplyLimit() {
        let r = SandboxTestSupport.run(
            "local ok, e = pcall(host.input); return e", input: .string(String(repeating: "x", count: 4096)),
            limits: SandboxLimits(hostReplyBytes: 1024), hostFunctions: [.input])
        #expect(r.value == .string("host.input: reply too large"))
    }

    @Test("host.log lines join print lines in order")
    func logOrder() {
        let r = SandboxTestSupport.run("print('one'); host.log('two', 3); print('four')")
        #expect(r.log == ["one", "two\t3", "four"])
    }

    @Test("a function outside the capability set does not exist")
    func capabilityMissing() {
        let r = SandboxTestSupport.run("return host.echo == nil and host.log == nil", hostFunctions: [.input])
        #expect(r.value == .bool(true))
    }

    @Test("a host function's error becomes a catchable Lua error")
    func hostError() {
        let r = SandboxTestSupport.run("local ok, e = pcall(host.fail); return e", hostFunctions: [Self.fail])
        #expect(r.value == .string("refused by host"))
    }

    @Test("functions cannot be passed to the host")
    func noFunctionsToHost() {
        let r = SandboxTestSupport.run("return host.echo(print)", hostFunctions: [Self.echo])
        #expect(r.status == .error)
        #expect(r.message?.contains("cannot cross") == true)
    }

    @Test("host.log counts towards the output limit")
    func logLimit() {
        let r = SandboxTestSupport.run(
            "for i = 1, 1000 do host.log(('z'):rep(100)) end", limits: SandboxLimits(outputBytes: 4096))
        #expect(r.status == .limit)
        #expect(r.limit == .output)
    }

    @Test("a host reply over the reply limit is an error in the script, and the worker survives")
    func hugeReply() {
        let big = HostFunction(name: "big") { _, _ in .string(String(repeating: "x", count: 4096)) }
        let r = SandboxTestSupport.run(
            "local ok, e = pcall(host.big); return e", limits: SandboxLimits(hostReplyBytes: 1024), hostFunctions: [big]
        )
        #expect(r.value == .string("host.big: reply too large"))
    }

    @Test("globals do not persist from one execution to the next")
    func freshState() {
        _ = SandboxTestSupport.run("leaked = 'secret'; string.upper = nil")
        for _ in 0..<4 {
            #expect(SandboxTestSupport.run("return tostring(leaked) .. ('x'):upper()").value == .string("nilX"))
        }
    }
}
