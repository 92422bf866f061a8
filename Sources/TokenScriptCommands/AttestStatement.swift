import TokenScriptAttestation
import TokenScriptJSON

/// What `attest sign` is asked to state: an issuer's statement (`--topic --type --payload`), or one of the hosting
/// node's inputs in the form `TokenStateMachine.matchingTrigger` matches:
///
/// - `--schedule TRIGGER`: topic `schedule/TRIGGER`, type `schedule`, payload `{}` (the engine reads only the
///   time, `issuedAt`, and checks it against the schedule itself, `ScheduleCheck`);
/// - `--attribute NAME --old JSON --new JSON`: topic `attribute/NAME`, type `change`, payload `{old, new}` (the
///   transition sees `event.name`, `event.old`, `event.new`).
///
/// The modes exclude each other, so a flag is never silently ignored.
struct AttestStatement {
    enum Kind {
        case statement(topic: String, type: String, payload: String)
        case schedule(trigger: String)
        case attribute(name: String, old: String, new: String)
    }

    let kind: Kind

    init(_ options: AttestSign.Options) throws(AttestSign.Problem) {
        let statementFlags = [
            ("--topic", options.topic), ("--type", options.type), ("--payload", options.payload),
        ]
        .filter { $0.1 != nil }.map(\.0)
        let changeFlags = [("--old", options.old), ("--new", options.new)].filter { $0.1 != nil }.map(\.0)
        switch (options.schedule, options.attribute) {
        case (.some, .some):
            throw AttestSign.Problem(
                description: "--schedule and --attribute: give one (a schedule tick or an attribute change)")
        case (.some(let trigger), nil):
            let extra = statementFlags + changeFlags
            guard extra.isEmpty else {
                throw AttestSign.Problem(
                    description: "--schedule: cannot be combined with \(extra.joined(separator: ", ")) (the hosting "
                        + "node's tick has topic schedule/TRIGGER, type schedule and an empty payload)")
            }
            try Self.checkName(trigger, flag: "--schedule")
            kind = .schedule(trigger: trigger)
        case (nil, .some(let name)):
            guard statementFlags.isEmpty else {
                throw AttestSign.Problem(
                    description: "--attribute: cannot be combined with \(statementFlags.joined(separator: ", ")) "
                        + "(the hosting node's change has topic attribute/NAME, type change, payload {old, new})")
            }
            guard let old = options.old, let new = options.new else {
                throw AttestSign.Problem(description: "--attribute: needs --old and --new (JSON values; null for none)")
            }
            try Self.checkName(name, flag: "--attribute")
            kind = .attribute(name: name, old: old, new: new)
        case (nil, nil):
            guard changeFlags.isEmpty else {
                throw AttestSign.Problem(
                    description: "\(changeFlags.joined(separator: ", ")): only with --attribute NAME")
            }
            guard let topic = options.topic, let type = options.type, let payload = options.payload else {
                let missing = ["--topic", "--type", "--payload"].filter { !statementFlags.contains($0) }
                throw AttestSign.Problem(
                    description: "missing \(missing.joined(separator: ", ")) (or, as the hosting node, "
                        + "--schedule TRIGGER or --attribute NAME --old JSON --new JSON)")
            }
            kind = .statement(topic: topic, type: type, payload: payload)
        }
    }

    /// Whether the hosting node states it (a schedule tick or an attribute change), not an issuer.
    var isHostingNodes: Bool {
        if case .statement = kind { return false }
        return true
    }

    /// The flag the topic comes from (`--topic`, `--schedule`, `--attribute`), for messages.
    var flag: String {
        switch kind {
        case .statement: "--topic"
        case .schedule: "--schedule"
        case .attribute: "--attribute"
        }
    }

    var topic: String {
        switch kind {
        case .statement(let topic, _, _): topic
        case .schedule(let trigger): "schedule/" + trigger
        case .attribute(let name, _, _): "attribute/" + name
        }
    }

    var type: String {
        switch kind {
        case .statement(_, let type, _): type
        case .schedule: "schedule"
        case .attribute: "change"
        }
    }

    /// The payload, read as the wire reader reads one; errors name the flag the bad JSON came from.
    func payload() throws -> AttestationValue {
        switch kind {
        case .statement(_, _, let payload):
            return try AttestSign.readPayload(payload)
        case .schedule:
            return .object([:])
        case .attribute(_, let old, let new):
            let root = JSONPath.root.appending(JSONKey("payload"))
            return .object([
                "old": try AttestSign.readValue(old, flag: "--old", path: root.appending(JSONKey("old"))),
                "new": try AttestSign.readValue(new, flag: "--new", path: root.appending(JSONKey("new"))),
            ])
        }
    }

    /// A trigger or attribute name: one topic segment (no `/`, no wildcard, no spaces).
    private static func checkName(_ name: String, flag: String) throws(AttestSign.Problem) {
        guard !name.isEmpty, !name.contains(where: { $0 == "/" || $0 == "*" || $0.isWhitespace }) else {
            throw AttestSign.Problem(
                description: "\(flag): \"\(name)\" is not a trigger or attribute name (one word, no / or *)")
        }
    }
}
