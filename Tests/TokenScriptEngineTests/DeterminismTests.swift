import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime

/// The issue's determinism requirement: a 1,000-attestation journal replays with every state hash, and
/// a run whose transitions could not have been reproduced is reported as non-deterministic, naming the
/// step, the trigger and the fields.
///
/// What is honest here: the counter's transition reads `os.time()`, `math.random()` and `pairs()` order.
/// In the sandbox's deterministic mode these are the event's signed time, a generator seeded from
/// (instance, step) and a fixed key order, so the *same* script replays exactly — the sandbox removes the
/// non-determinism instead of replay having to detect it. What replay must catch is every way the re-run
/// can still differ: a transition edited after the journal was written, a different seed or clock given
/// to the sandbox, and the sandbox's non-deterministic mode (real wall clock, random seed, Lua's own
/// iteration order), which stands in for "the same script run somewhere without our determinism".
@Suite(.serialized) struct DeterminismTests {
    static let now: UInt64 = 1_790_002_000

    /// The 1,000-step journal, made once.
    static let thousand: Task<Journal, any Error> = Task {
        let machine = TokenStateMachine(definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool)
        let instance = JournaledInstance(machine: machine, instanceID: "counter-1")
        for n in 1...1000 {
            let outcome = try await instance.deliver(try EngineTestSupport.tick(n), now: now)
            guard outcome.disposition == .applied(trigger: "tick") else {
                throw UnexpectedOutcome(description: "tick \(n): \(outcome.disposition)")
            }
        }
        return try await instance.journal()
    }

    @Test func thousandAttestationsReplayWithEveryHash() async throws {
        let journal = try await Self.thousand.value
        #expect(journal.entries.count == 1000)
        let last = try #require(journal.entries.last)
        let final = try #require(TokenInstance(canonicalValue: last.instance, definitionID: journal.definitionID))
        // The logical clock is the event time, not the wall clock.
        #expect(final.attributes["lastSeen"] == .int(1_790_001_000))
        #expect(final.attributes["count"] == .int(1000))
        #expect(final.state == "even")
        #expect(final.stateHash == last.stateHash)
        // Hashes are distinct per step (the counter changes every time).
        #expect(Set(journal.entries.map(\.stateHash)).count == 1000)

        // Through the file form, to prove the journal on disk is enough.
        let reread = try Journal(jsonLines: journal.jsonLines)
        let report = try await Replay.run(
            reread, definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool)
        #expect(report.stepsVerified == 1000)
        #expect(report.finalStateHash == last.stateHash)
        #expect(report.journaledDefinitionID == report.replayedDefinitionID)
    }

    @Test func editedTransitionIsCaught() async throws {
        let journal = try await Self.thousand.value
        var script = try EngineTestSupport.counterScript()
        let index = try #require(script.server?.triggers.firstIndex { $0.name == "tick" })
        guard case .lua(var source) = script.server!.triggers[index].transition else {
            Issue.record("tick has no Lua")
            return
        }
        // From step 500 on, the edited script counts twice.
        source.text = source.text.replacingOccurrences(
            of: "local count = attributes.count + 1",
            with: "local count = attributes.count + (attributes.count >= 499 and 2 or 1)")
        script.server!.triggers[index].transition = .lua(source)
        let edited = try TokenDefinition(tokenScript: script)
        #expect(edited.id != journal.definitionID)

        let error = await #expect(throws: NonDeterminismError.self) {
            try await Replay.run(journal, definition: edited, runtime: EngineTestSupport.pool)
        }
        #expect(error?.sequence == 500)
        #expect(error?.trigger == "tick")
        #expect(error?.differingFields["attributes.count"] == .init(journaled: "500", replayed: "501"))
        #expect(error?.differingFields["state"] == .init(journaled: "\"even\"", replayed: "\"odd\""))
        #expect(error?.differingFields.keys.contains("events") == true)
        #expect(error?.description.contains("step 500") == true)
    }

    @Test func differentClockIsCaught() async throws {
        let journal = try await Self.thousand.value
        let error = await #expect(throws: NonDeterminismError.self) {
            try await Replay.run(
                journal, definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool,
                environment: TransitionEnvironment(clockOffset: 3600))
        }
        #expect(error?.sequence == 1)
        #expect(error?.trigger == "tick")
        #expect(Set(error?.differingFields.keys.map { $0 } ?? []) == ["attributes.lastSeen", "stateHash"])
        #expect(error?.differingFields["attributes.lastSeen"] == .init(journaled: "1790000001", replayed: "1790003601"))
    }

    @Test func differentSeedIsCaught() async throws {
        let journal = try await Self.thousand.value
        let error = await #expect(throws: NonDeterminismError.self) {
            try await Replay.run(
                journal, definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool,
                environment: TransitionEnvironment(seedDomain: "another seed"))
        }
        #expect(error?.sequence == 1)
        #expect(error?.trigger == "tick")
        #expect(error?.differingFields.keys.contains("attributes.noise") == true)
        #expect(error?.differingFields.keys.contains("attributes.count") == false)
    }

    /// The same script outside deterministic mode: `os.time()` is the wall clock, so replay diverges at once.
    @Test func wallClockRunIsCaught() async throws {
        let journal = try await Self.thousand.value
        let error = await #expect(throws: NonDeterminismError.self) {
            try await Replay.run(
                journal, definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool,
                environment: TransitionEnvironment(confined: false))
        }
        #expect(error?.sequence == 1)
        #expect(error?.trigger == "tick")
        #expect(error?.differingFields.keys.contains("attributes.lastSeen") == true)
    }

    /// A journal whose initial state no longer matches the definition fails at step 0.
    @Test func changedInitialValueIsCaughtAtStepZero() async throws {
        let journal = try await Self.thousand.value
        var script = try EngineTestSupport.counterScript()
        let index = try #require(script.server?.attributes.firstIndex { $0.name == "count" })
        script.server!.attributes[index].initial = "7"
        let error = await #expect(throws: NonDeterminismError.self) {
            try await Replay.run(
                journal, definition: try TokenDefinition(tokenScript: script), runtime: EngineTestSupport.pool)
        }
        #expect(error?.sequence == 0)
    }
}

/// A step of a fixture journal that did not apply as the fixture needs.
struct UnexpectedOutcome: Error, CustomStringConvertible {
    var description: String
}
