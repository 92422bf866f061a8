import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptEthereum
import TokenScriptJSON
import TokenScriptRuntime

/// A human-written scenario for `tokenscript test` (format: `TokenScripts/flight-ticket.tests/README.md`).
///
/// Read from JSON (`*.scenario.json`) strictly: unknown fields and wrong types are errors naming the field.
public struct Scenario: Sendable {
    public var name: String
    public var description: String?
    /// The TokenScript, relative to the scenario file.
    public var script: String
    public var instance: String
    /// Overrides of `ts:meta/ts:env` values.
    public var environment: [String: String]
    /// Named test keys: EIP-191/712 private keys or Ed25519 seeds (32 bytes), by issuer name (or `executor`).
    public var keys: [String: [UInt8]]
    public var initialState: String?
    public var initialAttributes: [String: SandboxValue]
    public var responses: ResponseScript
    /// Default `issuedAt` of the first step; later steps default to the previous one plus 60 s.
    public var start: UInt64
    public var steps: [Step]
    public var expect: Expectation?

    public struct Step: Sendable {
        public var issuer: String
        public var id: String?
        public var topic: String
        public var type: String
        public var issuedAt: UInt64?
        public var expiresAt: UInt64?
        public var payload: AttestationValue
        /// The receiving node's clock; default `issuedAt`.
        public var now: UInt64?
        /// Responses queued when this step is reached (behind those still queued).
        public var responses: SandboxValue?
        public var expect: Expectation?
    }

    /// What a step (with the effect outcomes it leads to) or the whole run must come to. Every field optional.
    public struct Expectation: Sendable {
        /// The state afterwards.
        public var state: String?
        /// The trigger that fired for the step's own attestation.
        public var trigger: String?
        /// `applied`, `unmatched`, `failed`, `ignored` or `rejected`, for the step's own attestation.
        public var outcome: String?
        /// Emitted events: types (`"lounge-granted"`) or `{type, data}`.
        public var events: [SandboxValue]?
        /// Requests that would be sent: `{method?, url?, headers?, body?}`, each field compared when present
        /// (`headers` as a subset; `body` as JSON when not a string).
        public var requests: [SandboxValue]?
        /// Types of the effect outcome attestations fed back, in order: `["timeout", "failed"]`.
        public var outcomes: [String]?
        /// Stored and computed (`sl:computed`) attributes (a subset).
        public var attributes: [String: SandboxValue]?
        /// `sl:interface` answers on the instance afterwards, by interface name.
        public var queries: [String: QueryExpectation]?
    }

    /// One interface call and the answer it must give: `{"args": {…}, "answer": <json>}`.
    public struct QueryExpectation: Sendable, Hashable {
        /// The caller's arguments (an object; default `{}`).
        public var args: SandboxValue
        /// The expected answer, compared as JSON (`null` included).
        public var answer: SandboxValue
    }

    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Parses a scenario's JSON text. `name` is what reports call it (the file name without `.scenario.json`).
    public init(json text: String, name: String) throws(Invalid) {
        let value: SandboxValue
        do {
            value = try SandboxValue.parseJSON(text)
        } catch {
            throw Invalid(description: "not valid JSON: \(error)")
        }
        var root = try Fields(value, path: "")
        self.name = name
        description = try root.optionalString("description")
        script = try root.string("script")
        instance = try root.optionalString("instance") ?? "scenario"
        environment = [:]
        for (key, value) in try root.optionalObject("env") ?? [:] {
            guard case .string(let text) = value else { throw Invalid(description: "env.\(key): expected a string") }
            environment[key] = text
        }
        keys = [:]
        for (name, key) in try root.optionalObject("keys") ?? [:] {
            guard case .string(let text) = key, let bytes = Hex.decode(text), bytes.count == 32 else {
                throw Invalid(description: "keys.\(name): expected 32 bytes of hex (a private key or an Ed25519 seed)")
            }
            keys[name] = bytes
        }
        if let value = try root.optional("initial") {
            let initial = try InitialInstance(value, path: "initial")
            initialState = initial.state
            initialAttributes = initial.attributes
        } else {
            initialState = nil
            initialAttributes = [:]
        }
        do {
            responses =
                try root.optional("responses").map { (value) throws(ScriptedResponse.Invalid) in
                    try ResponseScript(notation: value, path: "responses")
                } ?? ResponseScript()
        } catch {
            throw Invalid(description: "\(error)")
        }
        start = try root.optionalUnsigned("start") ?? 1_790_000_000
        guard case .array(let items)? = try root.optional("steps") else {
            throw Invalid(description: "steps: expected a list")
        }
        steps = []
        for (index, item) in items.enumerated() {
            let path = "steps[\(index)]"
            var fields = try Fields(item, path: path)
            guard let attestationValue = try fields.optional("attestation") else {
                throw Invalid(description: "\(path).attestation: missing")
            }
            var attestation = try Fields(attestationValue, path: path + ".attestation")
            let payload = try attestation.optional("payload") ?? .object([:])
            guard let converted = Self.attestationValue(payload) else {
                throw Invalid(
                    description:
                        "\(path).attestation.payload: fractions and integers beyond 2^53 are not attestation values")
            }
            let step = Step(
                issuer: try attestation.string("issuer"), id: try attestation.optionalString("id"),
                topic: try attestation.string("topic"), type: try attestation.string("type"),
                issuedAt: try attestation.optionalUnsigned("issuedAt"),
                expiresAt: try attestation.optionalUnsigned("expiresAt"),
                payload: converted, now: try fields.optionalUnsigned("now"),
                responses: try fields.optional("responses"),
                expect: try fields.optional("expect").map { (value) throws(Invalid) in
                    try Self.expectation(value, path: path + ".expect")
                })
            try attestation.finish()
            try fields.finish()
            steps.append(step)
        }
        expect = try root.optional("expect").map { (value) throws(Invalid) in
            try Self.expectation(value, path: "expect")
        }
        try root.finish()
    }

    static func expectation(_ value: SandboxValue, path: String) throws(Invalid) -> Expectation {
        var fields = try Fields(value, path: path)
        func list(_ name: String) throws(Invalid) -> [SandboxValue]? {
            guard let value = try fields.optional(name) else { return nil }
            guard case .array(let items) = value else { throw Invalid(description: "\(path).\(name): expected a list") }
            return items
        }
        var expectation = Expectation()
        expectation.state = try fields.optionalString("state")
        expectation.trigger = try fields.optionalString("trigger")
        expectation.outcome = try fields.optionalString("outcome")
        expectation.events = try list("events")
        expectation.requests = try list("requests")
        if let outcomes = try list("outcomes") {
            expectation.outcomes = try outcomes.map { (item) throws(Invalid) in
                guard case .string(let text) = item else {
                    throw Invalid(description: "\(path).outcomes: expected outcome types")
                }
                return text
            }
        }
        expectation.attributes = try fields.optionalObject("attributes")
        expectation.queries = try fields.optionalObject("queries").map { (queries) throws(Invalid) in
            try queryExpectations(queries, path: path + ".queries")
        }
        try fields.finish()
        return expectation
    }

    static func attestationValue(_ value: SandboxValue) -> AttestationValue? {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number):
            guard (-AttestationValue.maximumInteger...AttestationValue.maximumInteger).contains(number) else {
                return nil
            }
            return .integer(number)
        case .double: return nil
        case .string(let text): return .string(text)
        case .array(let items):
            var result: [AttestationValue] = []
            for item in items {
                guard let converted = attestationValue(item) else { return nil }
                result.append(converted)
            }
            return .array(result)
        case .object(let members):
            var result: [JSONKey: AttestationValue] = [:]
            for (key, item) in members {
                guard let converted = attestationValue(item) else { return nil }
                result[key] = converted
            }
            return .object(result)
        }
    }

    /// Strict reading of one JSON object: every member must be taken, `finish()` names the first unknown one.
    struct Fields {
        var members: [JSONKey: SandboxValue]
        var taken: Set<JSONKey> = []
        let path: String

        init(_ value: SandboxValue, path: String) throws(Invalid) {
            guard let members = value.objectMembers else {
                throw Invalid(description: "\(path.isEmpty ? "the scenario" : path): expected an object")
            }
            self.members = members
            self.path = path
        }

        func name(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

        mutating func optional(_ key: String) throws(Invalid) -> SandboxValue? {
            taken.insert(JSONKey(key))
            guard let value = members[key], value != .null else { return nil }
            return value
        }

        mutating func optionalString(_ key: String) throws(Invalid) -> String? {
            guard let value = try optional(key) else { return nil }
            guard case .string(let text) = value else { throw Invalid(description: "\(name(key)): expected a string") }
            return text
        }

        mutating func string(_ key: String) throws(Invalid) -> String {
            guard let text = try optionalString(key), !text.isEmpty else {
                throw Invalid(description: "\(name(key)): missing")
            }
            return text
        }

        mutating func optionalUnsigned(_ key: String) throws(Invalid) -> UInt64? {
            guard let value = try optional(key) else { return nil }
            guard case .int(let number) = value else {
                throw Invalid(description: "\(name(key)): expected a non-negative integer (Unix seconds)")
            }
            // The range attestation times have, so a scenario time can be signed and journaled as it is.
            do {
                return try CheckedConversion.integer(
                    number, field: name(key), in: 0...UInt64(AttestationValue.maximumInteger))
            } catch {
                throw Invalid(description: error.description)
            }
        }

        /// An object whose member names are attribute, environment or key names. Two spellings of one
        /// name (NFC and NFD) would merge into one Swift `String`, so they are refused.
        mutating func optionalObject(_ key: String) throws(Invalid) -> [String: SandboxValue]? {
            guard let value = try optional(key) else { return nil }
            guard let members = value.objectMembers else {
                throw Invalid(description: "\(name(key)): expected an object")
            }
            guard let named = members.textKeyed else {
                throw Invalid(description: "\(name(key)): two member names differ only in Unicode normalisation")
            }
            return named
        }

        func finish() throws(Invalid) {
            if let unknown = members.keys.sorted().first(where: { !taken.contains($0) }) {
                throw Invalid(description: "\(name(unknown.string)): unknown field")
            }
        }
    }
}
