import Foundation
import Testing
import TokenScriptEngine
import TokenScriptTesting

/// The journal's file form: one canonical, sealed JSON object per line, read strictly.
@Suite struct JournalFormatTests {
    static let journalKey = TestKeys.journalKey

    func smallJournal(signer: JournalSigner? = Self.journalKey) async throws -> Journal {
        let machine = TokenStateMachine(definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool)
        let instance = JournaledInstance(machine: machine, instanceID: "counter-j", signer: signer)
        for n in 1...3 { try await instance.deliver(try EngineTestSupport.tick(n), now: 1_790_002_000) }
        return try await instance.journal()
    }

    func lines(_ journal: Journal) -> [String] { journal.jsonLines.split(separator: "\n").map(String.init) }

    @Test("a journal reads back equal, and writing it again gives the same bytes")
    func roundTrips() async throws {
        for signer in [Self.journalKey, nil] {
            let journal = try await smallJournal(signer: signer)
            let lines = lines(journal)
            #expect(lines.count == 4)
            #expect(lines[0].hasPrefix("{\"definition\":\"Counter@"))
            #expect(
                lines[1].contains("\"prev\":\"\(try #require(lines[0].firstMatch(of: /"hash":"([0-9a-f]{64})"/)).1)\""))
            #expect(lines.allSatisfy { $0.contains("\"signature\":") } == (signer != nil))
            let read = try Journal(bytes: journal.bytes)
            #expect(read == journal)
            #expect(read.bytes == journal.bytes)
            #expect(read.signerKey == signer?.publicKey)
        }
    }

    @Test("errors name the line, the step and the field")
    func errorsNameLineAndField() async throws {
        // Re-sealed by hand (unsigned) so that only the reader's own checks can refuse the line.
        let journal = try await smallJournal(signer: nil)
        var copy = Journal(
            definitionID: journal.definitionID, instanceID: journal.instanceID,
            initialStateHash: journal.initialStateHash)
        var entry = journal.entries[0]
        entry.stateHash = String(repeating: "0", count: 64)
        copy.append(entry)
        let error = #expect(throws: JournalReadError.self) { try Journal(bytes: copy.bytes) }
        #expect(error?.line == 2)
        #expect(error?.step == 1)
        #expect(error?.field == "instance")
        #expect(error?.reason.contains("not to the stored stateHash") == true)

        #expect(throws: JournalReadError(line: 1, field: "", reason: "empty journal", kind: .unreadable)) {
            try Journal(bytes: [])
        }
        let old = #expect(throws: JournalReadError.self) {
            try Journal(
                jsonLines:
                    "{\"definition\":\"d\",\"initialStateHash\":\"h\","
                    + "\"instance\":\"i\",\"journal\":\"swift-tokenscript-journal/1\"}\n"
            )
        }
        #expect(old?.kind == .unreadable)
        #expect(old?.field == "journal")
    }

    @Test("a line that means the same but is not canonical is refused")
    func nonCanonicalLine() async throws {
        let journal = try await smallJournal()
        var lines = lines(journal)
        lines[2] = lines[2].replacingOccurrences(of: "\"outcome\":", with: "\"outcome\": ")
        let error = #expect(throws: JournalReadError.self) {
            try Journal(jsonLines: lines.joined(separator: "\n") + "\n")
        }
        #expect(error?.line == 3)
        #expect(error?.kind == .tampered)
        #expect(error?.verifiedSteps == 1)
    }

    @Test(
        "a journal torn mid-line by a crash verifies up to its last complete line, and its chain continues from there")
    func tornByCrash() async throws {
        let journal = try await smallJournal()
        let torn = Array(journal.bytes.dropLast(40))
        #expect(throws: JournalReadError.self) { try Journal(bytes: torn) }
        var (prefix, problem) = try Journal.verifiedPrefix(of: torn)
        #expect(problem?.line == 4)
        #expect(problem?.kind == .incomplete)
        #expect(problem?.reason.contains("incomplete last line") == true)
        #expect(prefix.entries == Array(journal.entries.prefix(2)))
        // The node resumes: the lost step is appended again, signed, and the whole journal verifies.
        prefix.append(journal.entries[2], signer: Self.journalKey)
        #expect(try Journal(bytes: prefix.bytes) == journal)
        #expect(try Journal.verifiedPrefix(of: journal.bytes).problem == nil)
    }
}
