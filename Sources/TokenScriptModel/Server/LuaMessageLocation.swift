/// A message about Lua with its positions as document lines: `flight-ticket.xml:57: trigger t: …`.
///
/// Lua numbers lines within the chunk it loaded (`trigger lounge-access:3: attempt to index a nil value`), and the
/// engine journals a transition's failure with the document line but no file
/// (`trigger lounge-access (document line 57): …`), because the journal must not change when the file is moved.
/// ``ServerExtension/locatingLua(in:)`` finds the positions once; whoever prints knows the file and calls
/// ``text(file:)``, so every printed Lua position is `file:line`, never `chunk:1`.
public struct LuaMessageLocation: Sendable, Hashable {
    /// A piece of the message: text as it was, or a position in a body (`trigger t` at document line 57).
    public enum Part: Sendable, Hashable {
        case text(String)
        case position(chunkName: String, line: Int)
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }

    /// The chunk name and document line of the first position, if there is one.
    public var first: (chunkName: String, line: Int)? {
        for part in parts { if case .position(let name, let line) = part { return (name, line) } }
        return nil
    }

    /// The message with each position as `file:57: trigger t:`, or without a file as the engine writes it,
    /// `trigger t (document line 57):` (which ``ServerExtension/locatingLua(in:)`` reads back).
    public func text(file: String?) -> String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .position(let name, let line):
                file.map { "\($0):\(line): \(name):" } ?? "\(name) (document line \(line)):"
            }
        }.joined()
    }

    /// What follows the first position (`attempt to index a nil value`), or the whole message without one.
    public var detail: String {
        guard let index = parts.firstIndex(where: { if case .position = $0 { true } else { false } }) else {
            return text(file: "")
        }
        return String(LuaMessageLocation(parts: Array(parts[(index + 1)...])).text(file: "").drop { $0 == " " })
    }
}

extension ServerExtension {
    /// `message` with every position in one of this extension's Lua bodies — Lua's `trigger t:3:` or the engine's
    /// `trigger t (document line 57):` — found and mapped to its document line, and `(to close 'if' at line 2)`
    /// in a syntax error rewritten to the document line too. Only chunk names of bodies that exist are read.
    public func locatingLua(in message: String) -> LuaMessageLocation {
        var bodies = Dictionary(luaBodies.map { ($0.chunkName, $0.source) }, uniquingKeysWith: { first, _ in first })
        // Lua shows at most 59 bytes of a chunk's name (LUA_IDSIZE): a long owner name is found by that prefix.
        for body in luaBodies where body.chunkName.utf8.count > Self.luaShownNameBytes {
            let shown = String(decoding: body.chunkName.utf8.prefix(Self.luaShownNameBytes), as: UTF8.self)
            if bodies[shown] == nil { bodies[shown] = body.source }
        }
        // Longest first, so `trigger a-b` wins over `trigger a` at the same place.
        let names = bodies.keys.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
        var parts: [LuaMessageLocation.Part] = []
        var rest = Substring(message)
        while let match = Self.earliestPosition(in: rest, names: names, bodies: bodies) {
            if match.range.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<match.range.lowerBound]))) }
            parts.append(.position(chunkName: match.name, line: match.documentLine))
            rest = rest[match.range.upperBound...]
            if let source = match.chunkLines {
                rest = Substring(Self.rewritingLineReferences(in: rest, source: source))
            }
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        return LuaMessageLocation(parts: parts)
    }

    /// How much of a `=name` chunk name Lua 5.4 puts in its messages (`luaO_chunkid` with `LUA_IDSIZE` 60).
    static let luaShownNameBytes = 59

    private struct Position {
        var range: Range<Substring.Index>
        var name: String
        var documentLine: Int
        /// The body, when the position was Lua's own (chunk-relative) rather than the engine's document line.
        var chunkLines: LuaSource?
    }

    /// The first `name:N:` or `name (document line N):` in `text`, for any of `names`.
    private static func earliestPosition(
        in text: Substring, names: [String], bodies: [String: LuaSource]
    ) -> Position? {
        var best: Position?
        for name in names {
            var searchFrom = text.startIndex
            while searchFrom < text.endIndex, let found = text[searchFrom...].firstRange(of: name) {
                searchFrom = text.index(after: found.lowerBound)
                if let best, best.range.lowerBound <= found.lowerBound { break }
                let after = text[found.upperBound...]
                if after.hasPrefix(":"), let (number, end) = digits(after.dropFirst()), after[end...].hasPrefix(":") {
                    let source = bodies[name]!
                    best = Position(
                        range: found.lowerBound..<text.index(after: end), name: name,
                        documentLine: source.documentLine(ofLuaLine: number), chunkLines: source)
                    break
                }
                let engineForm = " (document line "
                if after.hasPrefix(engineForm), let (number, end) = digits(after.dropFirst(engineForm.count)),
                    after[end...].hasPrefix("):")
                {
                    best = Position(
                        range: found.lowerBound..<text.index(end, offsetBy: 2), name: name, documentLine: number,
                        chunkLines: nil)
                    break
                }
            }
        }
        return best
    }

    /// The decimal number at the start of `text` (saturating) and where it ends; nil without a digit.
    private static func digits(_ text: Substring) -> (Int, Substring.Index)? {
        let run = text.prefix { $0.isASCII && $0.isNumber }
        guard !run.isEmpty else { return nil }
        return (Int(run) ?? Int.max, run.endIndex)
    }

    /// `at line N` (Lua's reference to an earlier line of the same chunk) as the document line.
    private static func rewritingLineReferences(in text: Substring, source: LuaSource) -> String {
        var out = ""
        var rest = text
        while let found = rest.firstRange(of: "at line "), let (number, end) = digits(rest[found.upperBound...]) {
            out += rest[..<found.upperBound]
            out += String(source.documentLine(ofLuaLine: number))
            rest = rest[end...]
        }
        return out + rest
    }
}
