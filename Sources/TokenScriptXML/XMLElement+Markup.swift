extension XMLElement {
    /// Serializes the element back to XML text, for the rare view children that are not in an opaque namespace.
    public var markup: String {
        var text = "<\(qualifiedName)"
        for attribute in attributes {
            text += " \(attribute.localName)=\"\(Self.escape(attribute.value, quotes: true))\""
        }
        if children.isEmpty { return text + "/>" }
        text += ">"
        for child in children {
            switch child {
            case .element(let element): text += element.markup
            case .text(let content): text += Self.escape(content, quotes: false)
            case .markup(let markup): text += markup.markup
            }
        }
        return text + "</\(qualifiedName)>"
    }

    static func escape(_ text: String, quotes: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where quotes: result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
