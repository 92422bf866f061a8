import Foundation
import Testing
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSandbox
import TokenScriptTesting

/// One way to alter a recorded journal file, and where the reader must say it was altered.
struct JournalTamperCase: Sendable, CustomTestStringConvertible {
    var label: String
    /// The altered file, from the recorded journal's lines and another instance's journal's lines.
    var edit: @Sendable (_ lines: [String], _ other: [String]) -> String
    var line: Int
    var step: UInt64?
    var field: String
    /// Words the reason must contain.
    var reason: String
    var testDescription: String { label }

    /// The character after `marker` in `text` replaced by another hex digit.
    static func flipHexDigit(after marker: String, in text: String) -> String {
        guard let range = text.range(of: marker) else { return text }
        let digit = text[range.upperBound]
        return text.replacingCharacters(in: range.upperBound...range.upperBound, with: digit == "0" ? "1" : "0")
    }

    static func file(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

    static func editing(_ index: Int, _ change: @escaping @Sendable (String) -> String)
        -> @Sendable ([String], [String]) -> String
    {
        { lines, _ in
            var lines = lines
            lines[index] = change(lines[index])
            return file(lines)
        }
    }

    static let all: [JournalTamperCase] = [
        .init(
            label: "one byte of an attestation payload",
            edit: editing(3) { $0.replacingOccurrences(of: "\\\"amount\\\":3", with: "\\\"amount\\\":4") },
            line: 4, step: 3, field: "attestation.payload.amount",
            reason: "stored 4 but the chain commits to other content"),
        .init(
            label: "a value in the instance snapshot",
            edit: editing(3) { $0.replacingOccurrences(of: "\"total\":6", with: "\"total\":7") },
            line: 4, step: 3, field: "instance.attributes.total", reason: "stored 7 but the chain commits"),
        .init(
            label: "a digit of a state hash", edit: editing(3) { flipHexDigit(after: "\"stateHash\":\"", in: $0) },
            line: 4, step: 3, field: "stateHash", reason: "the chain commits to other content"),
        .init(
            label: "the time a step was received",
            edit: editing(2) {
                $0.replacingOccurrences(of: "\"receivedAt\":1790002000", with: "\"receivedAt\":1790002001")
            },
            line: 3, step: 2, field: "receivedAt", reason: "stored 1790002001"),
        .init(
            label: "an integer turned into the equal float",
            edit: editing(2) {
                $0.replacingOccurrences(of: "\"receivedAt\":1790002000", with: "\"receivedAt\":1790002000.0")
            },
            line: 3, step: 2, field: "receivedAt", reason: "stored 1790002000.0 but the chain commits"),
        .init(
            label: "a line's own hash", edit: editing(2) { flipHexDigit(after: "\"hash\":\"", in: $0) },
            line: 3, step: 2, field: "hash", reason: "content hashes to"),
        .init(
            label: "the header's instance id",
            edit: editing(0) {
                $0.replacingOccurrences(of: "\"instance\":\"counter-t\"", with: "\"instance\":\"counter-u\"")
            },
            line: 1, step: nil, field: "instance", reason: "stored \"counter-u\""),
        .init(
            label: "a duplicated key in the header",
            edit: editing(0) {
                $0.replacingOccurrences(
                    of: "\"instance\":\"counter-t\",", with: "\"instance\":\"counter-t\",\"instance\":\"x\",")
            },
            line: 1, step: nil, field: "instance", reason: "duplicate key"),
        .init(
            label: "two entries reordered",
            edit: { lines, _ in
                var lines = lines; lines.swapAt(2, 3); return file(lines)
            },
            line: 3, step: 3, field: "prev", reason: "does not follow the line before it"),
        .init(
            label: "an entry dropped",
            edit: { lines, _ in
                var lines = lines; lines.remove(at: 2); return file(lines)
            },
            line: 3, step: 3, field: "prev", reason: "does not follow"),
        .init(
            label: "an entry swapped in from another instance's journal",
            edit: { lines, other in
                var lines = lines; lines[2] = other[2]; return file(lines)
            },
            line: 3, step: 2, field: "prev", reason: "taken from another journal"),
        .init(
            label: "a duplicated key in a line",
            edit: editing(2) {
                $0.replacingOccurrences(
                    of: "\"receivedAt\":1790002000,", with: "\"receivedAt\":1790002000,\"receivedAt\":1,")
            },
            line: 3, step: nil, field: "receivedAt", reason: "duplicate key \"receivedAt\" (column"),
        .init(
            label: "the file cut short mid-line",
            edit: { lines, _ in file(Array(lines.dropLast())) + lines.last!.prefix(lines.last!.count / 2) },
            line: 5, step: nil, field: "", reason: "incomplete last line"),
        .init(
            label: "a forged signature", edit: editing(2) { flipHexDigit(after: "\"signature\":\"", in: $0) },
            line: 3, step: 2, field: "signature", reason: "not the header signer's signature"),
        .init(
            label: "a signature of the wrong length",
            edit: editing(2) { $0.replacing(/"signature":"[0-9a-f]+"/, with: "\"signature\":\"00\"") },
            line: 3, step: 2, field: "signature", reason: "not the header signer's signature"),
        .init(
            label: "a signature removed", edit: editing(2) { $0.replacing(/,"signature":"[0-9a-f]+"/, with: "") },
            line: 3, step: 2, field: "signature", reason: "missing"),
        .init(
            label: "a state name", edit: editing(3) { $0.replacingOccurrences(of: "\"odd\"", with: "\"o\u{FFFD}d\"") },
            line: 4, step: 3, field: "instance.state", reason: "the chain commits to other content"),
    ]
}

/// A recorded journal altered in every way a stranger could: each alteration is found at the right line,
/// step and field, and the untouched journal verifies and replays.
@Suite struct JournalTamperTests {
    static let journalKey = TestKeys.journalKey
    static let otherKey = TestKeys.otherJournalKey

    /// Four ticks on one instance, signed; and the same ticks on another instance.
    static func record(instanceID: String, signer: JournalSigner? = journalKey) async throws -> Journal {
        let machine = TokenStateMachine(definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool)
        let instance = JournaledInstance(machine: machine, instanceID: instanceID, signer: signer)
        for n in 1...4 { try await instance.deliver(try EngineTestSupport.tick(n), now: 1_790_002_000) }
        return try await instance.journal()
    }

    static let recorded = Task { try await (record(instanceID: "counter-t"), record(instanceID: "counter-other")) }

    @Test("the untouched journal verifies, is signed by the journal key and replays")
    func untouched() async throws {
        let (journal, _) = try await Self.recorded.value
        let read = try Journal(bytes: journal.bytes)
        try read.verifySigner(Self.journalKey.publicKey)
        let report = try await Replay.run(
            read, definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool)
        #expect(report.stepsVerified == 4)
    }

    @Test("an altered journal is refused at the altered line, step and field", arguments: JournalTamperCase.all)
    func altered(_ tamper: JournalTamperCase) async throws {
        let (journal, other) = try await Self.recorded.value
        let lines = journal.jsonLines.split(separator: "\n").map(String.init)
        let altered = tamper.edit(lines, other.jsonLines.split(separator: "\n").map(String.init))
        #expect(altered != journal.jsonLines, "the edit changed nothing")
        let error = #expect(throws: JournalReadError.self) { try Journal(jsonLines: altered) }
        #expect(error?.kind == (tamper.label == "the file cut short mid-line" ? .incomplete : .tampered))
        #expect(error?.line == tamper.line)
        #expect(error?.step == tamper.step)
        #expect(error?.field == tamper.field)
        #expect(error?.reason.contains(tamper.reason) == true, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.verifiedSteps == max(tamper.line - 2, 0))
    }

    @Test("a byte that is not UTF-8 is refused at its line, not repaired")
    func invalidUTF8() async throws {
        let (journal, _) = try await Self.recorded.value
        var bytes = journal.bytes
        let start = bytes.indices.filter { bytes[$0] == 0x0a }[0] + 1
        let odd = Array("\"odd\"".utf8)
        let at = try #require((start..<bytes.count - odd.count).first { Array(bytes[$0..<$0 + odd.count]) == odd })
        bytes[at + 2] = 0xff
        let error = #expect(throws: JournalReadError.self) { try Journal(bytes: bytes) }
        #expect(error?.line == 2)
        #expect(error?.kind == .tampered)
        #expect(error?.reason.contains("UTF-8") == true)
    }

    @Test("a journal signed by another key, or not signed, fails the trusted key")
    func wrongKey() async throws {
        let (journal, _) = try await Self.recorded.value
        let read = try Journal(bytes: journal.bytes)
        let wrong = #expect(throws: JournalReadError.self) { try read.verifySigner(Self.otherKey.publicKey) }
        #expect(wrong?.line == 1)
        #expect(wrong?.field == "signer")
        #expect(wrong?.kind == .tampered)

        let unsigned = try Journal(bytes: try await Self.record(instanceID: "counter-u", signer: nil).bytes)
        let missing = #expect(throws: JournalReadError.self) { try unsigned.verifySigner(Self.journalKey.publicKey) }
        #expect(missing?.reason.contains("unsigned") == true)
    }

    /// Someone without the journal key rewrites a snapshot and re-seals the whole chain (with their own key,
    /// or unsigned). The file is consistent; the trusted key refuses it, and replay refuses the snapshot.
    @Test("a snapshot re-sealed into a consistent chain fails the key and the replay")
    func resealedSnapshot() async throws {
        let (journal, _) = try await Self.recorded.value
        for forger in [Self.otherKey, nil] {
            var forged = Journal(
                definitionID: journal.definitionID, instanceID: journal.instanceID,
                initialStateHash: journal.initialStateHash,
                signer: forger)
            for var entry in journal.entries {
                if entry.sequence == 2, case .object(var members) = entry.instance,
                    case .object(var attributes)? = members["attributes"]
                {
                    attributes["total"] = .int(99)
                    members["attributes"] = .object(attributes)
                    entry.instance = .object(members)
                    entry.stateHash = try #require(
                        TokenInstance(canonicalValue: entry.instance, definitionID: journal.definitionID)
                    ).stateHash
                }
                forged.append(entry, signer: forger)
            }
            let read = try Journal(bytes: forged.bytes)
            #expect(throws: JournalReadError.self) { try read.verifySigner(Self.journalKey.publicKey) }
            let error = await #expect(throws: NonDeterminismError.self) {
                try await Replay.run(read, definition: try EngineTestSupport.counter(), runtime: EngineTestSupport.pool)
            }
            #expect(error?.sequence == 2)
            #expect(error?.differingFields["attributes.total"] == .init(journaled: "99", replayed: "3"))
            #expect(error?.differingFields["stateHash"] != nil)
        }
    }
}
