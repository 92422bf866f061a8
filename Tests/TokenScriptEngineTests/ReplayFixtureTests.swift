import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEngine
import TokenScriptTesting

/// `Fixtures/replay`: two journals recorded in today's format against `flight-ticket.xml` there, one that must
/// replay and one, recorded with an edited `short-delay` transition, that must diverge at step 3 on
/// `attributes.delayMinutes`. Both are checked in one run of the production engine (`Replayer`).
///
/// `TOKENSCRIPT_UPDATE_GOLDEN=1` re-records them (and the fixture script) with the recipe below; see the
/// folder's README.
@Suite struct ReplayFixtureTests {
    static let folder = TestPaths.fixtures + "/replay"
    static let scriptPath = folder + "/flight-ticket.xml"
    static let replaysPath = folder + "/flight-ticket.journal.jsonl"
    static let divergesPath = folder + "/flight-ticket-diverging.journal.jsonl"
    /// The node key that signed both journals (seed 0x4a × 32).
    static let journalKey = try! JournalSigner(seed: Array(repeating: 0x4a, count: 32))
    static let now: UInt64 = 1_790_000_100
    static let originalShortDelay = "attributes = {delayMinutes = event.data.delayMinutes}}"
    static let editedShortDelay = "attributes = {delayMinutes = event.data.delayMinutes + 5}}"

    static var updating: Bool { ProcessInfo.processInfo.environment["TOKENSCRIPT_UPDATE_GOLDEN"] == "1" }

    /// The committed fixture script; when re-recording, `TokenScripts/flight-ticket.xml` with the airline's key
    /// replaced by the test airline's address (the fixture stays put when the example token changes).
    static func fixtureScriptText() throws -> String {
        guard updating else { return try String(contentsOfFile: scriptPath, encoding: .utf8) }
        let text = try String(contentsOfFile: TestPaths.tokenScripts + "/flight-ticket.xml", encoding: .utf8)
        return text.replacingOccurrences(
            of: "0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A", with: EngineTestSupport.airlineIssuer.key)
    }

    static func definition(_ text: String) throws -> TokenDefinition {
        let loaded = try TokenScriptReader.read(bytes: Array(text.utf8), file: scriptPath, directory: folder)
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
        return try TokenDefinition(tokenScript: loaded.tokenScript)
    }

    /// Scheduled, on time, a short delay, a lounge delay, a stranger's forged delay, a rebooking delay.
    static func record(_ definition: TokenDefinition, instanceID: String) async throws -> Journal {
        let ticket = JournaledInstance(
            machine: TokenStateMachine(definition: definition, runtime: EngineTestSupport.pool), instanceID: instanceID,
            signer: journalKey)
        let inputs = [
            try EngineTestSupport.flightStatus(id: "s1", type: "scheduled", issuedAt: 1_790_000_000),
            try EngineTestSupport.flightStatus(id: "s2", type: "on-time", issuedAt: 1_790_000_010),
            try EngineTestSupport.flightStatus(id: "d1", type: "delay", delay: 30, issuedAt: 1_790_000_020),
            try EngineTestSupport.flightStatus(id: "d2", type: "delay", delay: 200, issuedAt: 1_790_000_030),
            try EngineTestSupport.flightStatus(
                id: "x1", type: "delay", delay: 999, issuedAt: 1_790_000_040, signer: EngineTestSupport.stranger),
            try EngineTestSupport.flightStatus(id: "d3", type: "delay", delay: 400, issuedAt: 1_790_000_050),
        ]
        for input in inputs { try await ticket.deliver(input, now: now) }
        return try await ticket.journal()
    }

    /// Nil when `bytes` equal the committed file (re-recording it when asked), else what differs.
    static func compare(_ bytes: [UInt8], with path: String) throws -> String? {
        if updating {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return nil
        }
        let committed = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        return committed == bytes ? nil : "\(path) differs from a fresh recording"
    }

    @Test("recording the replay fixtures again gives the committed bytes")
    func recordingMatches() async throws {
        let text = try Self.fixtureScriptText()
        #expect(text.contains(Self.originalShortDelay))
        #expect(try Self.compare(Array(text.utf8), with: Self.scriptPath) == nil)
        let replays = try await Self.record(try Self.definition(text), instanceID: "ticket-replays")
        #expect(try Self.compare(replays.bytes, with: Self.replaysPath) == nil)
        let edited = text.replacingOccurrences(of: Self.originalShortDelay, with: Self.editedShortDelay)
        let diverges = try await Self.record(try Self.definition(edited), instanceID: "ticket-diverges")
        #expect(try Self.compare(diverges.bytes, with: Self.divergesPath) == nil)
    }

    @Test("in one run, the committed journal replays and the other diverges at step 3 on attributes.delayMinutes")
    func committedJournalsReplayAndDiverge() async throws {
        let script = try String(contentsOfFile: Self.scriptPath, encoding: .utf8)
        let definition = try Self.definition(script)
        var journals: [Journal] = []
        for path in [Self.replaysPath, Self.divergesPath] {
            let journal = try Journal(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            try journal.verifySigner(Self.journalKey.publicKey)
            journals.append(journal)
        }
        #expect(
            journals[0].entries.map { $0.outcome.trigger ?? $0.outcome.kind } == [
                "scheduled", "unmatched", "short-delay", "lounge-access", "rejected", "significant-delay",
            ])
        let results = await Replayer(definition: definition, runtime: EngineTestSupport.pool).replay(journals)
        #expect(results.count == 2)
        let report = try #require(results[0].report, "expected a clean replay, got \(results[0])")
        #expect(report.stepsVerified == 6)
        #expect(report.instanceID == "ticket-replays")
        let divergence = try #require(results[1].divergence)
        #expect(divergence.sequence == 3)
        #expect(divergence.attestationID == "d1")
        #expect(divergence.trigger == "short-delay")
        #expect(divergence.differingFields["attributes.delayMinutes"] == .init(journaled: "35", replayed: "30"))
    }
}

extension ReplayResult {
    /// The divergence, when the replay diverged.
    var divergence: NonDeterminismError? {
        if case .diverged(let error) = self { error } else { nil }
    }

    /// The report, when every step reproduced.
    var report: ReplayReport? {
        if case .replayed(let report) = self { report } else { nil }
    }
}
