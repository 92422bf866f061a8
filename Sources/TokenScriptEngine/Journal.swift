import Foundation
import TokenScriptAttestation
import TokenScriptSandbox

/// An instance's journal: a header line, then one JSON object per step (JSON Lines, canonical JSON).
///
/// It is also the instance's `AttestationHistory`: an attestation consumed by some step is what the
/// verifier's duplicate and replay checks look up, so the history can never disagree with the journal.
public struct Journal: Sendable, Hashable, AttestationHistory {
    /// The format tag of the header line; a new incompatible format gets a new tag.
    public static let format = "swift-tokenscript-journal/1"

    public var definitionID: String
    public var instanceID: String
    /// `stateHash` of the instance before the first step.
    public var initialStateHash: String
    public private(set) var entries: [JournalEntry] = []
    private var digests: [String: [UInt8]] = [:]

    public init(definitionID: String, instanceID: String, initialStateHash: String) {
        self.definitionID = definitionID
        self.instanceID = instanceID
        self.initialStateHash = initialStateHash
    }

    /// An empty journal for a new instance.
    public init(for instance: TokenInstance) {
        self.init(definitionID: instance.definitionID, instanceID: instance.id, initialStateHash: instance.stateHash)
    }

    public func contentDigest(forID id: String) -> [UInt8]? { digests[id] }

    /// The sequence number the next entry gets.
    public var nextSequence: UInt64 { UInt64(entries.count) + 1 }

    /// Adds a step; entries must come in sequence (1, 2, …).
    public mutating func append(_ entry: JournalEntry) {
        precondition(entry.sequence == nextSequence, "journal entries must be appended in sequence")
        if entry.outcome.consumed, digests[entry.attestation.id] == nil {
            digests[entry.attestation.id] = entry.attestation.contentDigest
        }
        entries.append(entry)
    }

    var headerValue: SandboxValue {
        .object([
            "journal": .string(Self.format),
            "definition": .string(definitionID),
            "instance": .string(instanceID),
            "initialStateHash": .string(initialStateHash),
        ])
    }

    /// The header line.
    public var headerLine: String { headerValue.jsonText }

    /// The whole journal as JSON Lines, each line ending in `\n`.
    public var jsonLines: String {
        var text = headerLine + "\n"
        for entry in entries { text += JournalEntryLine.line(entry) + "\n" }
        return text
    }

    public func write(to url: URL) throws {
        try Data(jsonLines.utf8).write(to: url, options: .atomic)
    }

    public static func read(from url: URL) throws -> Journal {
        let data = try Data(contentsOf: url)
        return try Journal(jsonLines: String(decoding: data, as: UTF8.self))
    }

    /// Reads JSON Lines; every problem is a `JournalReadError` naming the line and the field.
    public init(jsonLines text: String) throws(JournalReadError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first else { throw JournalReadError(line: 1, field: "", reason: "empty journal") }
        let header = try JournalEntryLine.object(first, line: 1)
        guard try JournalEntryLine.string(header, "journal", line: 1) == Self.format else {
            throw JournalReadError(line: 1, field: "journal", reason: "not a \(Self.format) journal")
        }
        self.init(
            definitionID: try JournalEntryLine.string(header, "definition", line: 1),
            instanceID: try JournalEntryLine.string(header, "instance", line: 1),
            initialStateHash: try JournalEntryLine.string(header, "initialStateHash", line: 1))
        for (index, text) in lines.enumerated().dropFirst() {
            let entry = try JournalEntryLine.entry(text, line: index + 1)
            guard entry.sequence == nextSequence else {
                throw JournalReadError(line: index + 1, field: "sequence", reason: "expected \(nextSequence), found \(entry.sequence)")
            }
            append(entry)
        }
    }
}
