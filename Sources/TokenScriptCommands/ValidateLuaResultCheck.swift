import TokenScriptModel

/// `validate`'s static checks of a transition: what its literal result tables name.
///
/// Only a table constructor written right after a `return` of the transition itself (not of a function defined
/// inside it) is read, and only fields whose names are literal: `state = "x"`, `attributes = {name = …}`,
/// `effects = {{name = "x", …}}`. The engine refuses such a result every time it is returned (unknown state,
/// unknown or computed attribute, unknown effect), so each finding is an error: the step would fail as written.
/// Anything computed (`attributes[key]`, a table built elsewhere) is left to the run.
enum LuaResultCheck {
    struct Finding: Hashable {
        var message: String
        /// The chunk line of the offending name.
        var luaLine: Int
    }

    /// One field of a table constructor: its literal key (nil for a positional or computed key) and value tokens.
    private struct Field {
        var key: String?
        var line: Int
        var value: Range<Int>
    }

    static func findings(transition source: LuaSource, trigger: String, server: ServerExtension) -> [Finding] {
        guard let tokens = LuaTokenizer.tokens(source.text) else { return [] }
        var findings: [Finding] = []
        var functions = 0
        var blocks: [Bool] = []  // true for a function body
        for index in tokens.indices {
            switch tokens[index].name {
            case "function":
                blocks.append(true)
                functions += 1
            case "if", "do", "repeat": blocks.append(false)
            case "end", "until":
                if blocks.popLast() == true { functions -= 1 }
            case "return" where functions == 0 && index + 1 < tokens.count && tokens[index + 1].isSymbol("{"):
                guard let result = fields(tokens, open: index + 1) else { continue }
                findings += check(result.fields, tokens: tokens, trigger: trigger, server: server)
            default: break
            }
        }
        return findings
    }

    private static func check(
        _ result: [Field], tokens: [LuaToken], trigger: String, server: ServerExtension
    ) -> [Finding] {
        var findings: [Finding] = []
        let who = "the transition of trigger '\(trigger)'"
        for field in result {
            switch field.key {
            case "state":
                if let (name, line) = literal(field.value, tokens), server.state(named: name) == nil {
                    findings.append(
                        Finding(message: "\(who) returns state '\(name)', which no sl:state declares", luaLine: line))
                }
            case "attributes":
                guard let table = wholeTable(field.value, tokens) else { continue }
                for attribute in table where attribute.key != nil {
                    let name = attribute.key!
                    if server.computedAttribute(named: name) != nil {
                        findings.append(
                            Finding(
                                message: "\(who) writes attribute '\(name)', which is computed (sl:computed) and "
                                    + "cannot be written", luaLine: attribute.line))
                    } else if server.attribute(named: name) == nil {
                        findings.append(
                            Finding(
                                message: "\(who) writes attribute '\(name)', which no sl:attribute declares",
                                luaLine: attribute.line))
                    }
                }
            case "effects":
                guard let list = wholeTable(field.value, tokens) else { continue }
                for item in list where item.key == nil {
                    guard let request = wholeTable(item.value, tokens),
                        let nameField = request.first(where: { $0.key == "name" }),
                        let (name, line) = literal(nameField.value, tokens)
                    else { continue }
                    if server.effect(named: name) == nil {
                        findings.append(
                            Finding(
                                message: "\(who) requests effect '\(name)', which no sl:effect declares", luaLine: line)
                        )
                    }
                }
            default: break
            }
        }
        return findings
    }

    /// The plain string of a value that is exactly one string literal.
    private static func literal(_ value: Range<Int>, _ tokens: [LuaToken]) -> (String, Int)? {
        guard value.count == 1, case .string(let text?) = tokens[value.lowerBound].kind else { return nil }
        return (text, tokens[value.lowerBound].line)
    }

    /// The fields of a value that is exactly one table constructor.
    private static func wholeTable(_ value: Range<Int>, _ tokens: [LuaToken]) -> [Field]? {
        guard !value.isEmpty, tokens[value.lowerBound].isSymbol("{"),
            let table = fields(tokens, open: value.lowerBound), table.close == value.upperBound - 1
        else { return nil }
        return table.fields
    }

    /// The fields of the table constructor whose `{` is at `open`, and the index of its `}`.
    private static func fields(_ tokens: [LuaToken], open: Int) -> (fields: [Field], close: Int)? {
        var fields: [Field] = []
        var depth = 0
        var start = open + 1
        func finish(_ end: Int) {
            guard start < end else { return }
            let first = tokens[start]
            if let name = first.name, end - start >= 2, tokens[start + 1].isSymbol("=") {
                fields.append(Field(key: name, line: first.line, value: (start + 2)..<end))
            } else if first.isSymbol("["), end - start >= 4, tokens[start + 2].isSymbol("]"),
                tokens[start + 3].isSymbol("=")
            {
                let key: String? = if case .string(let text?) = tokens[start + 1].kind { text } else { nil }
                // A computed key (`[k] = v`) is neither positional nor a name we can check.
                if let key { fields.append(Field(key: key, line: tokens[start + 1].line, value: (start + 4)..<end)) }
            } else {
                fields.append(Field(key: nil, line: first.line, value: start..<end))
            }
        }
        var index = open + 1
        while index < tokens.count {
            let token = tokens[index]
            if token.isSymbol("{") || token.isSymbol("(") || token.isSymbol("[") {
                depth += 1
            } else if token.isSymbol("}") || token.isSymbol(")") || token.isSymbol("]") {
                if depth == 0 {
                    guard token.isSymbol("}") else { return nil }
                    finish(index)
                    return (fields, index)
                }
                depth -= 1
            } else if depth == 0 && (token.isSymbol(",") || token.isSymbol(";")) {
                finish(index)
                start = index + 1
            }
            index += 1
        }
        return nil
    }
}
