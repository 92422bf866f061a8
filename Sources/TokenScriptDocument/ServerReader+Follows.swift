import TokenScriptModel
import TokenScriptXML

/// `sl:follow` and `sl:on-change`: tokens that follow other tokens. A follow names a stored `string` attribute
/// holding the followed instance's id; an `sl:on-change` is an `sl:on-attestation` of topic
/// `changes/${attribute}` and type `change`, whose signer is the followed instance's executor (trusted through
/// `ExecutorTrust`, so no `sl:issuer` is needed for it).
extension ServerReader {
    mutating func follow(_ element: XMLElement, server: ServerExtension) -> FollowedToken? {
        checkAttributes(element, ["name", "attribute", "token"])
        noChildren(element)
        let name = unique("follow", required("name", of: element), element)
        let attributeName = required("attribute", of: element)
        let token = required("token", of: element)
        guard let name, let attributeName, let token else { return nil }
        guard let attribute = server.attributes.first(where: { $0.name.utf8.elementsEqual(attributeName.utf8) })
        else {
            let computed = server.computedAttribute(named: attributeName) != nil
            error(
                "follow '\(name)': attribute=\"\(attributeName)\" is "
                    + (computed ? "a computed attribute" : "not a stored attribute")
                    + "; declare <\(prefixed("attribute", element)) name=\"\(attributeName)\" type=\"string\"/> "
                    + "to hold the followed instance's id",
                element)
            return nil
        }
        guard attribute.type == .string else {
            error(
                "follow '\(name)': attribute=\"\(attributeName)\" is a \(attribute.type.rawValue) attribute; "
                    + "an instance id is a string",
                element)
            return nil
        }
        return FollowedToken(
            name: name, attribute: attributeName, token: token, location: builder.modelLocation(element))
    }

    mutating func changeEvent(_ element: XMLElement, trigger: String, server: ServerExtension) -> TriggerEvent? {
        checkAttributes(element, ["follow", "filter"])
        noChildren(element)
        guard let name = required("follow", of: element) else { return nil }
        guard let follow = server.follow(named: name) else {
            let declared = server.follows.map(\.name)
            error(
                "trigger '\(trigger)': follow=\"\(name)\" names no <\(prefixed("follow", element))>"
                    + (declared.isEmpty ? "" : " (declared: \(declared.joined(separator: ", ")))"),
                element)
            return nil
        }
        let filter = filter(element.attribute("filter"), trigger: trigger, element)
        guard topicTemplate(follow.topic.text, trigger: trigger, server: server, element) != nil, filter.parsed
        else { return nil }
        return .attestation(
            AttestationTrigger(
                topic: follow.topic, type: FollowedToken.changeType, filter: filter.expression, follow: follow.name))
    }

    /// `filter=` parsed; `parsed` is false (and the problem reported) when it does not parse.
    mutating func filter(_ text: String?, trigger: String, _ element: XMLElement) -> ParsedFilter {
        guard let text else { return ParsedFilter(expression: nil, parsed: true) }
        do throws(FilterSyntaxError) {
            return ParsedFilter(expression: try FilterParser.parse(text), parsed: true)
        } catch {
            self.error("trigger '\(trigger)': filter \"\(text)\": \(error.message) at offset \(error.offset)", element)
            return ParsedFilter(expression: nil, parsed: false)
        }
    }

    /// A trigger's `filter=`: the expression (nil without one), and whether the text parsed.
    struct ParsedFilter {
        var expression: FilterExpression?
        var parsed: Bool
    }
}
