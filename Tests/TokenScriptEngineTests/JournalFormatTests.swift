import Foundation
import Testing
import TokenScriptEngine

/// The journal's file form: one canonical JSON object per line, read strictly.
@Suite struct JournalFormatTests {
    func smallJournal() async throws -> Journal {
        let machine = TokenStateMachine(definition: try EngineTestSupport.counter(), pool: EngineTestSupport.pool)
        let instance = JournaledInstance(machine: machine, instanceID: "counter-j")
        for n in 1...3 { try await instance.deliver(try EngineTestSupport.tick(n), now: 1_790_002_000) }
        return await instance.journal
    }

    @Test func roundTrips() async throws {
        let journal = try await smallJournal()
        let lines = journal.jsonLines.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("{\"definition\":\"Counter@"))
        #expect(try Journal(jsonLines: journal.jsonLines) == journal)
    }

    @Test func errorsNameLineAndField() async throws {
        let journal = try await smallJournal()
        var lines = journal.jsonLines.split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: "\"stateHash\"", with: "\"stateHush\"")
        #expect(throws: JournalReadError(line: 3, field: "stateHush", reason: "unknown field")) {
            try Journal(jsonLines: lines.joined(separator: "\n"))
        }

        lines = journal.jsonLines.split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: "\"sequence\":1", with: "\"sequence\":\"1\"")
        #expect(throws: JournalReadError(line: 2, field: "sequence", reason: "expected a non-negative integer")) {
            try Journal(jsonLines: lines.joined(separator: "\n"))
        }

        lines = journal.jsonLines.split(separator: "\n").map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: "\\\"type\\\":\\\"tick\\\"", with: "\\\"type\\\":7")
        let error = #expect(throws: JournalReadError.self) { try Journal(jsonLines: lines.joined(separator: "\n")) }
        #expect(error?.line == 4)
        #expect(error?.field == "attestation.type")

        #expect(throws: JournalReadError(line: 1, field: "", reason: "empty journal")) { try Journal(jsonLines: "") }
    }

    @Test func outOfSequenceIsRefused() async throws {
        let journal = try await smallJournal()
        var lines = journal.jsonLines.split(separator: "\n").map(String.init)
        lines.remove(at: 2)
        #expect(throws: JournalReadError(line: 3, field: "sequence", reason: "expected 2, found 3")) {
            try Journal(jsonLines: lines.joined(separator: "\n"))
        }
    }
}
