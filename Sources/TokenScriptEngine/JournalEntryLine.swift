import TokenScriptAttestation
import TokenScriptJSON
import TokenScriptRuntime

/// The text form of one journal entry, and its strict reading.
///
/// Strict like the attestation wire reader: a missing or unknown field, a wrong type or an outcome
/// without its trigger or reason is an error naming the line and the field, because a journal that is
/// read leniently could replay something other than what happened. A line must also be exactly the
/// canonical JSON the writer produces (no spaces, keys sorted bytewise, each key once): a line that
/// differs only in form still differs from what the chain sealed.
enum JournalEntryLine {
    /// The JSON object of one line, read strictly (a duplicate key, invalid UTF-8 or a bad number is
    /// refused with its column), and in exactly the canonical form the writer produces.
    static func object(_ bytes: [UInt8], line: Int) throws(JournalReadError) -> [JSONKey: JSONValue] {
        let value: JSONValue
        do {
            value = try JournalJSON.parse(bytes)
        } catch {
            let field = error.path.components.isEmpty ? "" : error.path.description
            throw JournalReadError(line: line, field: field, reason: "\(error.reason) (column \(error.column))")
        }
        guard case .object(let members) = value else {
            throw JournalReadError(line: line, field: "", reason: "not a JSON object")
        }
        let canonical = JournalChain.canonicalBytes(value)
        if canonical != bytes {
            let column =
                String(decoding: bytes.prefix(zip(canonical, bytes).prefix { $0 == $1 }.count), as: UTF8.self)
                .unicodeScalars.count + 1
            throw JournalReadError(
                line: line, field: "",
                reason: "not the canonical JSON the journal writer produces (first difference at column \(column))")
        }
        return members
    }

    /// A verified line's members as the engine's values (keys stay byte-exact).
    static func sandboxMembers(_ members: [JSONKey: JSONValue]) -> [JSONKey: SandboxValue] {
        members.mapValues(SandboxValue.init)
    }

    static func string(_ members: [JSONKey: SandboxValue], _ field: String, line: Int) throws(JournalReadError)
        -> String
    {
        guard let value = members[field] else { throw JournalReadError(line: line, field: field, reason: "missing") }
        guard case .string(let text) = value else {
            throw JournalReadError(line: line, field: field, reason: "expected a string")
        }
        return text
    }

    static func unsigned(_ members: [JSONKey: SandboxValue], _ field: String, line: Int) throws(JournalReadError)
        -> UInt64
    {
        guard let value = members[field] else { throw JournalReadError(line: line, field: field, reason: "missing") }
        guard case .int(let number) = value, number >= 0 else {
            throw JournalReadError(line: line, field: field, reason: "expected a non-negative integer")
        }
        return UInt64(number)
    }

    static func list(_ members: [JSONKey: SandboxValue], _ field: String, line: Int) throws(JournalReadError)
        -> [SandboxValue]
    {
        guard let value = members[field] else { throw JournalReadError(line: line, field: field, reason: "missing") }
        guard case .array(let items) = value else {
            throw JournalReadError(line: line, field: field, reason: "expected a list")
        }
        return items
    }

    /// The list `field` of `{<name>: string, <value>: any}` objects (events, effects), as pairs.
    static func namedValues(
        _ members: [JSONKey: SandboxValue], _ field: String, name: String, value: String, line: Int
    ) throws(JournalReadError) -> [(name: String, value: SandboxValue)] {
        var pairs: [(name: String, value: SandboxValue)] = []
        for (index, item) in try list(members, field, line: line).enumerated() {
            guard let fields = item.objectMembers, case .string(let text)? = fields[JSONKey(name)],
                let payload = fields[JSONKey(value)]
            else {
                throw JournalReadError(line: line, field: "\(field)[\(index)]", reason: "expected {\(name), \(value)}")
            }
            pairs.append((text, payload))
        }
        return pairs
    }

    /// The entry of one (already chain-verified) line.
    static func entry(_ members: [JSONKey: SandboxValue], line: Int) throws(JournalReadError) -> JournalEntry {
        let known: Set = [
            "sequence", "receivedAt", "attestation", "outcome", "trigger", "reason", "message", "events", "effects",
            "stateHash", "instance", "prev", "digests", "hash", "signature",
        ]
        if let unknown = members.keys.sorted().first(where: { !known.contains($0.string) }) {
            throw JournalReadError(line: line, field: unknown.string, reason: "unknown field")
        }
        let attestation: Attestation
        do {
            attestation = try Attestation(json: try string(members, "attestation", line: line))
        } catch let error as AttestationDecodingError {
            throw JournalReadError(line: line, field: "attestation." + error.field, reason: error.reason)
        } catch let error as JournalReadError {
            throw error
        } catch {
            throw JournalReadError(line: line, field: "attestation", reason: "\(error)")
        }
        let kind = try string(members, "outcome", line: line)
        let outcome: JournalEntry.Outcome
        switch kind {
        case "applied": outcome = .applied(trigger: try string(members, "trigger", line: line))
        case "unmatched": outcome = .unmatched
        case "failed":
            outcome = .failed(
                trigger: try string(members, "trigger", line: line), message: try string(members, "message", line: line)
            )
        case "ignored":
            outcome = .ignored(
                code: try string(members, "reason", line: line), message: try string(members, "message", line: line))
        case "rejected":
            outcome = .rejected(
                code: try string(members, "reason", line: line), message: try string(members, "message", line: line))
        default:
            throw JournalReadError(line: line, field: "outcome", reason: "unknown outcome \"\(kind)\"")
        }
        let events = try namedValues(members, "events", name: "type", value: "data", line: line)
            .map { EmittedEvent(type: $0.name, data: $0.value) }
        let effects = try namedValues(members, "effects", name: "name", value: "input", line: line)
            .map { EffectRequest(name: $0.name, input: $0.value) }
        let stateHash = try string(members, "stateHash", line: line)
        guard stateHash.count == 64, CanonicalHash.bytes(fromHex: stateHash) != nil else {
            throw JournalReadError(line: line, field: "stateHash", reason: "expected 64 hex digits")
        }
        guard let instance = members["instance"], instance.objectMembers != nil else {
            throw JournalReadError(line: line, field: "instance", reason: "expected the instance's canonical object")
        }
        // The snapshot must be the state the hash names; replay then checks both against the re-run.
        let snapshotHash = CanonicalHash.sha256Hex(instance)
        guard snapshotHash == stateHash else {
            throw JournalReadError(
                line: line, field: "instance",
                reason: "the stored snapshot hashes to \(snapshotHash), not to the stored stateHash \(stateHash)")
        }
        return JournalEntry(
            sequence: try unsigned(members, "sequence", line: line),
            receivedAt: try unsigned(members, "receivedAt", line: line),
            attestation: attestation, outcome: outcome, events: events, effects: effects, stateHash: stateHash,
            instance: instance)
    }
}
