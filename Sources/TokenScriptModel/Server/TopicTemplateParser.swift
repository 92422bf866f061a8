/// Splits a topic template into literals and `${name}` references, refusing everything ambiguous.
enum TopicTemplateParser {
    static func segments(of text: String) throws(TopicTemplateError) -> [TopicTemplate.Segment] {
        let characters = Array(text)
        guard !characters.isEmpty else { throw TopicTemplateError("a topic may not be empty", offset: 0) }
        var segments: [TopicTemplate.Segment] = []
        var literal = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "$":
                guard index + 1 < characters.count, characters[index + 1] == "{" else {
                    throw TopicTemplateError("'$' in a topic must start a reference ${name}", offset: index)
                }
                let nameStart = index + 2
                guard let close = characters[nameStart...].firstIndex(of: "}") else {
                    throw TopicTemplateError("'${' is not closed by '}'", offset: index)
                }
                let name = String(characters[nameStart..<close])
                guard !name.isEmpty else { throw TopicTemplateError("'${}' names no attribute", offset: index) }
                if let bad = characters[nameStart..<close].firstIndex(where: { "${*/".contains($0) || $0.isWhitespace })
                {
                    throw TopicTemplateError("'\(characters[bad])' in the attribute name of a reference", offset: bad)
                }
                if !literal.isEmpty { segments.append(.literal(literal)) }
                literal = ""
                segments.append(.attribute(name))
                index = close + 1
                continue
            case "{", "}":
                throw TopicTemplateError(
                    "'\(character)' in a topic may only delimit a reference ${name}", offset: index)
            case "*":
                guard index == characters.count - 1 else {
                    throw TopicTemplateError("'*' may only end a topic pattern", offset: index)
                }
                if case .attribute(let name)? = segments.last, literal.isEmpty {
                    throw TopicTemplateError(
                        "'*' right after ${\(name)} would match every value that starts with it", offset: index)
                }
            default:
                if character.isWhitespace {
                    throw TopicTemplateError("whitespace in a topic", offset: index)
                }
            }
            literal.append(character)
            index += 1
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        return segments
    }
}
