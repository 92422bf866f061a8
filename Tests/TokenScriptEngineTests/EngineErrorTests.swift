import Testing
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime

/// Failures that are not the transition's fault are typed values with a reason, journal nothing, and keep
/// the wording the CLI has always printed.
@Suite struct EngineErrorTests {
    /// The counter whose tick transition never ends.
    static func endlessCounter() throws -> TokenDefinition {
        var script = try EngineTestSupport.counterScript()
        let index = try #require(script.server?.triggers.firstIndex { $0.name == "tick" })
        let transition = try #require(script.server?.triggers[index].transition)
        guard case .lua(var source) = transition else { throw UnexpectedOutcome(description: "tick has no Lua") }
        source.text = "while true do end\n" + source.text
        script.server!.triggers[index].transition = .lua(source)
        return try TokenDefinition(tokenScript: script)
    }

    @Test("the sandbox's wall-clock backstop is sandboxTimeLimit(trigger:); the delivery journals nothing")
    func wallClockLimit() async throws {
        // An instruction budget no run reaches, so the wall clock is what ends the endless loop.
        let limits = SandboxLimits(instructions: UInt64(Int64.max), timeoutSeconds: 0.2)
        let machine = TokenStateMachine(
            definition: try Self.endlessCounter(), runtime: EngineTestSupport.pool, limits: limits)
        let instance = JournaledInstance(machine: machine, instanceID: "counter-endless")
        let error = await #expect(throws: EngineError.self) {
            try await instance.deliver(try EngineTestSupport.tick(1), now: 1_790_002_000)
        }
        #expect(error?.reason == .sandboxTimeLimit(trigger: "tick"))
        #expect(error?.description == "trigger tick: the sandbox's wall-clock limit ended the transition; retry")
        #expect(try await instance.journalEntries().isEmpty)
        #expect(await instance.head.nextSequence == 1)
    }

    @Test("each reason keeps today's wording")
    func wording() {
        #expect(
            EngineError(.workerCrashed(trigger: "tick", message: "worker exited"))
                .description == "trigger tick: sandbox worker crashed: worker exited")
        #expect(
            EngineError(.journalStore(JournalStoreError(.sequenceMismatch(appended: 4, next: 6)))).description
                == "journal: cannot append sequence 4: the journal's next sequence is 6; nothing was written")
    }
}
