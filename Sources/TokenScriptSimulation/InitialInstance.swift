import TokenScriptEngine
import TokenScriptJSON
import TokenScriptModel
import TokenScriptRuntime

/// Where a run starts instead of the document's initial state: a scenario's `initial`, or the file of
/// `tokenscript dry-run --initial`. `{"state": "active", "attributes": {"flight": "LH2024"}}`, both optional.
public struct InitialInstance: Sendable, Hashable {
    public var state: String?
    /// Stored attributes, checked against their declared types when applied (`time` as Unix seconds).
    public var attributes: [String: SandboxValue]

    public init(state: String? = nil, attributes: [String: SandboxValue] = [:]) {
        self.state = state
        self.attributes = attributes
    }

    /// Reads the JSON text of a state file strictly: malformed JSON is refused with its line and column,
    /// an unknown field or a wrong type with the field's name.
    public init(json text: String) throws(Scenario.Invalid) {
        let value: SandboxValue
        do {
            value = try SandboxValue.parseJSON(text)
        } catch {
            throw Scenario.Invalid(description: "not valid JSON: \(error)")
        }
        guard value.objectMembers != nil else {
            throw Scenario.Invalid(description: "expected an object {\"state\": …, \"attributes\": {…}}")
        }
        self = try Self(value, path: "")
    }

    /// Reads `{state?, attributes?}`; `path` prefixes field names in errors (`initial`).
    init(_ value: SandboxValue, path: String) throws(Scenario.Invalid) {
        var fields = try Scenario.Fields(value, path: path)
        state = try fields.optionalString("state")
        attributes = try fields.optionalObject("attributes") ?? [:]
        try fields.finish()
    }

    /// `instance` in this state with these attributes, each checked against the extension; `path` prefixes
    /// field names in errors (`initial`; empty for a state file of its own).
    public func applied(
        to instance: TokenInstance, server: ServerExtension, path: String
    ) throws(Scenario.Invalid) -> TokenInstance {
        func field(_ name: String) -> String { path.isEmpty ? name : path + "." + name }
        var instance = instance
        if let state {
            guard server.state(named: state) != nil else {
                throw Scenario.Invalid(
                    description:
                        "\(field("state")): unknown state \(state) (states: "
                        + server.states.map(\.name).joined(separator: ", ") + ")")
            }
            instance.state = state
        }
        for name in attributes.keys.sorted() {
            guard let attribute = server.attribute(named: name) else {
                throw Scenario.Invalid(description: "\(field("attributes.\(name)")): no sl:attribute named \(name)")
            }
            do {
                instance.attributes[name] = try AttributeTyping.checked(attributes[name]!, for: attribute)
            } catch {
                throw Scenario.Invalid(description: "\(field("attributes.\(name)")): \(error.description)")
            }
        }
        return instance
    }
}
