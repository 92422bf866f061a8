import Testing
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptModel

/// Issue 8, class 1: numbers a transition's Lua hands back are outside data too.
@Suite("Hostile numbers from Lua")
struct HostileLuaNumberTests {
    @Test(
        "a Lua error that forges a huge line number fails the transition; the message still names a document line",
        arguments: ["9223372036854775807", "99999999999999999999", "-9223372036854775808"])
    func forgedLineNumber(line: String) async throws {
        var script = try EngineTestSupport.counterScript()
        let index = try #require(script.server?.triggers.firstIndex { $0.name == "lua-error" })
        script.server!.triggers[index].transition = .lua(
            LuaSource(text: "error('trigger lua-error:\(line): forged', 0)", line: 75))
        let machine = TokenStateMachine(
            definition: try TokenDefinition(tokenScript: script), runtime: EngineTestSupport.pool)
        let instance = JournaledInstance(machine: machine, instanceID: "counter-lua")
        let outcome = try await instance.deliver(try EngineTestSupport.tick(1, type: "lua-error"), now: 1_790_002_000)
        guard case .failed(let trigger, let message) = outcome.disposition else {
            Issue.record("expected failed, got \(outcome.disposition)")
            return
        }
        #expect(trigger == "lua-error")
        #expect(message.contains("forged"), "\(message)")
        // The next delivery is unaffected.
        let next = try await instance.deliver(try EngineTestSupport.tick(2), now: 1_790_002_000)
        #expect(next.disposition == .applied(trigger: "tick"))
    }
}
