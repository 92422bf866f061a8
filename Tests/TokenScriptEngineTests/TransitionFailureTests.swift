import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptRuntime

/// Transitions whose results are refused leave state and attributes unchanged and are journaled as failed.
@Suite struct TransitionFailureTests {
    func deliver(_ types: [String]) async throws -> JournaledInstance {
        let machine = TokenStateMachine(definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool)
        let instance = JournaledInstance(machine: machine, instanceID: "counter-f")
        for (n, type) in types.enumerated() {
            try await instance.deliver(try EngineTestSupport.tick(n + 1, type: type), now: 1_790_002_000)
        }
        return instance
    }

    @Test(arguments: [
        ("bad-state", "unknown state \"nowhere\""),
        ("bad-type", "attribute count is integer"),
        ("lua-error", "document line"),
    ])
    func refusedResult(type: String, expected: String) async throws {
        let instance = try await deliver(["tick", type])
        let journal = try await instance.journal()
        let entry = try #require(journal.entries.last)
        guard case .failed(let trigger, let message) = entry.outcome else {
            Issue.record("expected failed, got \(entry.outcome)")
            return
        }
        #expect(trigger == type)
        #expect(message.contains(expected), "\(message)")
        let state = await instance.instance
        #expect(state.state == "odd")
        #expect(state.attributes["count"] == .int(1))
        // Consumed: a redelivery is a duplicate, and the failure replays as the same failure.
        let again = try await instance.deliver(try EngineTestSupport.tick(2, type: type), now: 1_790_002_000)
        #expect(again.disposition.trigger == nil)
        let report = try await Replay.run(
            try await instance.journal(), definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool)
        #expect(report.stepsVerified == 3)
    }

    @Test func luaErrorNamesTheDocumentLine() async throws {
        let instance = try await deliver(["lua-error"])
        let entry = try #require(try await instance.journal().entries.last)
        guard case .failed(_, let message) = entry.outcome else {
            Issue.record("expected failed, got \(entry.outcome)")
            return
        }
        // `return x.field` is the second line of the body, which starts on line 75 of counter.xml.
        #expect(message.contains("document line 76"), "\(message)")
    }

    @Test func gotoIntoExpiredStateStopsTriggers() async throws {
        let instance = try await deliver(["tick", "stop", "tick"])
        let journal = try await instance.journal()
        #expect(journal.entries.map(\.outcome.kind) == ["applied", "applied", "unmatched"])
        #expect(await instance.instance.state == "stopped")
    }
}
