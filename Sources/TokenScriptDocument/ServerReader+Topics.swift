import TokenScriptModel
import TokenScriptXML

/// `sl:on-attestation topic=` with `${name}`: the syntax, and that every name is a stored attribute whose
/// type can appear in a topic. Subscriptions are computed from these on every node for every instance, so
/// they must be cheap and deterministic: computed attributes (Lua) are refused, as are types without one
/// obvious text (booleans, times, JSON).
extension ServerReader {
    mutating func topicTemplate(
        _ text: String, trigger: String, server: ServerExtension, _ element: XMLElement
    ) -> TopicTemplate? {
        let template: TopicTemplate
        do {
            template = try TopicTemplate(parsing: text)
        } catch {
            self.error("trigger '\(trigger)': topic \"\(text)\": \(error.message) at offset \(error.offset)", element)
            return nil
        }
        var usable = true
        for name in template.references {
            if let attribute = server.attributes.first(where: { $0.name.utf8.elementsEqual(name.utf8) }) {
                guard attribute.type != .string && attribute.type != .integer else { continue }
                error(
                    "trigger '\(trigger)': topic \"\(text)\" names ${\(name)}, a \(attribute.type.rawValue) "
                        + "attribute; only string and integer attributes may appear in a topic",
                    element)
            } else if server.computedAttribute(named: name) != nil {
                error(
                    "trigger '\(trigger)': topic \"\(text)\" names the computed attribute ${\(name)}; "
                        + "only stored attributes (sl:attribute) may appear in a topic",
                    element)
            } else {
                error(
                    "trigger '\(trigger)': topic \"\(text)\" names an unknown attribute ${\(name)} "
                        + "(declare it with <\(prefixed("attribute", element)) type=\"string\"/>)",
                    element)
            }
            usable = false
        }
        return usable ? template : nil
    }
}
