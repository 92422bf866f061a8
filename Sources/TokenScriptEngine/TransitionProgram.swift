import TokenScriptJSON
import TokenScriptModel
import TokenScriptRuntime

/// The Lua program the sandbox runs for one transition, and the strict reading of what it returns.
///
/// The script text is a fixed prelude; the transition body, the computed attributes' bodies and the
/// arguments all travel in the execution's input (`host.input()`). The prelude `load`s each body as a
/// text chunk named after its trigger or computed attribute, so Lua's messages say
/// `trigger lounge-access:3:` with the body's own line numbers (mapped to document lines by
/// `documentLineMessage`), and no quoting of author text into Lua source is ever needed.
public enum TransitionProgram {
    /// Public so benchmarks can run exactly this Lua without the engine around it.
    public static let prelude =
        AttributeViewPrelude.text + "\n" + """
            local body, problem = load(request.transition, "=trigger " .. request.trigger, "t")
            if not body then error(problem, 0) end
            return body(request.state, request.event, view)
            """

    /// The execution input for `trigger`'s Lua `source`.
    static func input(
        trigger: String, source: LuaSource, state: String, event: SandboxValue, attributes: [String: SandboxValue],
        computed: [ComputedAttribute]
    ) -> SandboxValue {
        .object([
            "trigger": .string(trigger),
            "transition": .string(source.chunk(binding: Transition.parameters)),
            "computed": .array(
                computed.map {
                    .array([.string($0.name), .string($0.lua.chunk(binding: ComputedAttribute.parameters))])
                }),
            "state": .string(state),
            "event": event,
            "attributes": .object(attributes),
        ])
    }

    /// Rewrites `trigger NAME:N:` in a Lua message to the document line of the body's line N.
    static func documentLineMessage(_ message: String, trigger: String, source: LuaSource) -> String {
        let prefix = "trigger \(trigger):"
        guard let range = message.firstRange(of: prefix) else { return message }
        let digits = message[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        guard let luaLine = Int(digits) else { return message }
        var rewritten = message
        rewritten.replaceSubrange(
            range.lowerBound..<message.index(range.upperBound, offsetBy: digits.count),
            with: "trigger \(trigger) (document line \(source.documentLine(ofLuaLine: luaLine)))")
        return rewritten
    }

    /// What a transition asked for, validated against the extension.
    struct Result {
        var state: String?
        var attributes: [String: SandboxValue] = [:]
        var events: [EmittedEvent] = []
        var effects: [EffectRequest] = []
    }

    /// Why a transition's result was refused; its description is journaled in the `failed` outcome's message.
    struct Refusal: Error, Hashable, CustomStringConvertible {
        enum Reason: Hashable {
            /// Values are their canonical JSON; positions in `events`/`effects` are 1-based, as in Lua.
            case notATable(value: String)
            case unknownResultField(String)
            case stateNotAString(value: String)
            case unknownState(String)
            case attributesNotATable(value: String)
            case computedAttributeWritten(String)
            case unknownAttribute(String)
            case attributeType(AttributeTyping.Mismatch)
            case malformedEvent(position: Int)
            case unknownEventField(position: Int, field: String)
            case malformedEffect(position: Int)
            case unknownEffectField(position: Int, field: String)
            case unknownEffect(position: Int, name: String)
            case notAList(field: String, value: String)
        }

        var reason: Reason

        init(_ reason: Reason) { self.reason = reason }

        var description: String {
            switch reason {
            case .notATable(let value): "the transition must return a table or nothing, not \(value)"
            case .unknownResultField(let key):
                "unknown result field \(JSONWriter.quoted(key, escapingNonASCII: true)) "
                    + "(expected state, attributes, events, effects)"
            case .stateNotAString(let value): "state must be a string, not \(value)"
            case .unknownState(let name): "unknown state \"\(name)\""
            case .attributesNotATable(let value): "attributes must be a table of name = value, not \(value)"
            case .computedAttributeWritten(let name): "attribute \(name) is computed and cannot be written"
            case .unknownAttribute(let name): "unknown attribute \(JSONWriter.quoted(name, escapingNonASCII: true))"
            case .attributeType(let mismatch): mismatch.description
            case .malformedEvent(let position): "events[\(position)] must be {type = \"…\", data = …}"
            case .unknownEventField(let position, let field): "events[\(position)]: unknown field \"\(field)\""
            case .malformedEffect(let position): "effects[\(position)] must be {name = \"…\", input = …}"
            case .unknownEffectField(let position, let field): "effects[\(position)]: unknown field \"\(field)\""
            case .unknownEffect(let position, let name): "effects[\(position)]: unknown effect \"\(name)\""
            case .notAList(let field, let value): "\(field) must be a list, not \(value)"
            }
        }
    }

    /// Reads the returned value strictly: unknown fields, states, attributes or effects and ill-typed
    /// values are refused, so a typo in a transition fails loudly instead of being silently dropped.
    static func parse(_ value: SandboxValue?, server: ServerExtension) throws(Refusal) -> Result {
        var result = Result()
        guard let value, value != .null else { return result }
        guard let members = value.objectMembers else {
            throw Refusal(.notATable(value: value.jsonText))
        }
        for key in members.keys.sorted() where !["state", "attributes", "events", "effects"].contains(key) {
            throw Refusal(.unknownResultField(key.string))
        }
        if let state = members["state"] {
            guard case .string(let name) = state else { throw Refusal(.stateNotAString(value: state.jsonText)) }
            guard server.state(named: name) != nil else { throw Refusal(.unknownState(name)) }
            result.state = name
        }
        if let attributes = members["attributes"] {
            guard let fields = attributes.objectMembers else {
                throw Refusal(.attributesNotATable(value: attributes.jsonText))
            }
            for key in fields.keys.sorted() {
                // Names match by bytes: an NFD spelling of a declared NFC name is a different, unknown name.
                let name = key.string
                guard let declared = server.attribute(named: name), declared.name.utf8.elementsEqual(key.bytes) else {
                    if server.computedAttribute(named: name) != nil {
                        throw Refusal(.computedAttributeWritten(name))
                    }
                    throw Refusal(.unknownAttribute(name))
                }
                do {
                    result.attributes[name] = try AttributeTyping.checked(fields[key]!, for: declared)
                } catch {
                    throw Refusal(.attributeType(error))
                }
            }
        }
        if let events = members["events"] {
            for (index, item) in try list(events, "events").enumerated() {
                guard let fields = item.objectMembers, case .string(let type)? = fields["type"], !type.isEmpty else {
                    throw Refusal(.malformedEvent(position: index + 1))
                }
                if let extra = fields.keys.sorted().first(where: { $0 != "type" && $0 != "data" }) {
                    throw Refusal(.unknownEventField(position: index + 1, field: extra.string))
                }
                result.events.append(EmittedEvent(type: type, data: fields["data"] ?? .null))
            }
        }
        if let effects = members["effects"] {
            for (index, item) in try list(effects, "effects").enumerated() {
                guard let fields = item.objectMembers, case .string(let name)? = fields["name"] else {
                    throw Refusal(.malformedEffect(position: index + 1))
                }
                if let extra = fields.keys.sorted().first(where: { $0 != "name" && $0 != "input" }) {
                    throw Refusal(.unknownEffectField(position: index + 1, field: extra.string))
                }
                guard server.effect(named: name) != nil else {
                    throw Refusal(.unknownEffect(position: index + 1, name: name))
                }
                result.effects.append(EffectRequest(name: name, input: fields["input"] ?? .null))
            }
        }
        return result
    }

    private static func list(_ value: SandboxValue, _ field: String) throws(Refusal) -> [SandboxValue] {
        guard case .array(let items) = value else { throw Refusal(.notAList(field: field, value: value.jsonText)) }
        return items
    }
}
