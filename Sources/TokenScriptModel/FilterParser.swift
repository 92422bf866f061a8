import TokenScriptArithmetic

/// Reads the text of a `ts:selection` filter once, so that a malformed filter is reported with its place
/// when the TokenScript is loaded instead of silently evaluating to false for every token.
///
/// The grammar is the RFC 2254-like prefix notation of TokenScript:
/// ```
/// filter     := "(" filtercomp ")" | filtercomp     ; parentheses are optional at the top level only
/// filtercomp := "&" filterlist | "|" filterlist | "!" "(" filtercomp ")" | item
/// filterlist := ("(" filtercomp ")")+
/// item       := attr op value                       ; op: = < > <= >=
/// value      := (char | "\" hex hex | "${" attr "}")*
/// ```
/// Choices where the reference runtimes (engine-js `FilterParser.ts`, iOS `TokenScriptFilterParser.swift`)
/// are lenient or silent:
/// * Whitespace (space, tab, CR, LF) is insignificant between tokens and is trimmed from both ends of a
///   value; whitespace inside a value is kept. Write `\20` for a space that must start or end a value.
/// * `\XX` is one byte; consecutive escapes are decoded together as UTF-8 (`Caf\c3\a9` is `Café`) and must
///   form valid UTF-8.
/// * The reserved characters `= < > ( ) & | !` must be escaped inside a value; a bare one is an error.
/// * A bare attribute name as the whole filter (`expired`, seen in 2019 files) is the legacy shorthand
///   for `expired=TRUE`. Inside parentheses a name without an operator is an error.
/// * `&` and `|` need at least one operand; the runtimes evaluate an empty list to false, we refuse it.
/// * `!` takes exactly one filter; `!(a=1)(b=2)` is refused as trailing input rather than ignoring `(b=2)`.
/// * Nesting is limited to 64 parentheses, and the parser runs in time linear in the input.
public enum FilterParser {
    /// The deepest nesting of parentheses accepted; real filters use three.
    static let maximumDepth = 64

    /// The expression the filter text denotes, or the first syntax error with its character offset.
    public static func parse(_ text: String) throws(FilterSyntaxError) -> FilterExpression {
        var reader = FilterReader(text)
        do {
            return try reader.readFilter()
        } catch {
            throw FilterSyntaxError(
                offset: characterOffset(ofScalarAt: error.scalarOffset, in: text), message: error.message)
        }
    }

    /// Converts an offset in Unicode scalars to one in characters, counting a character that an offset
    /// falls inside of as the place of the error. Runs once per failed parse.
    private static func characterOffset(ofScalarAt scalarOffset: Int, in text: String) -> Int {
        let target = text.unicodeScalars.index(text.startIndex, offsetBy: scalarOffset)
        var count = 0
        var index = text.startIndex
        while index < target {
            let next = text.index(after: index)
            if next > target { break }
            count += 1
            index = next
        }
        return count
    }
}

/// Why a filter text does not parse, and where.
public struct FilterSyntaxError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// 0-based offset in characters (`String.count` units) into the filter text.
    public var offset: Int
    /// What is wrong, without the place: `expected ')'`.
    public var message: String

    /// `expected ')' at offset 12`
    public var description: String { "\(message) at offset \(offset)" }
}

/// A failure at a Unicode scalar offset; `FilterParser.parse` turns the offset into characters.
private struct FilterReadFailure: Error {
    var scalarOffset: Int
    var message: String
}

/// A recursive-descent reader over the text's Unicode scalars. Recursion is bounded by
/// `FilterParser.maximumDepth`, and each scalar is looked at a bounded number of times.
private struct FilterReader {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var depth = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func peek(at offset: Int) -> Unicode.Scalar? { offset < scalars.count ? scalars[offset] : nil }

    private mutating func skipWhitespace() {
        while let scalar = current, FilterSyntax.isWhitespace(scalar) { position += 1 }
    }

    private func failure(_ message: String, at offset: Int? = nil) -> FilterReadFailure {
        FilterReadFailure(scalarOffset: offset ?? position, message: message)
    }

    // MARK: Structure

    /// `filter` at the top level, which must take up the whole text.
    mutating func readFilter() throws(FilterReadFailure) -> FilterExpression {
        skipWhitespace()
        guard let first = current else { throw failure("empty filter", at: 0) }
        let expression = first == "(" ? try readParenthesised() : try readComponent(isWholeFilter: true)
        skipWhitespace()
        guard position < scalars.count else { return expression }
        let rest = quoted(position..<scalars.count)
        let hint: String
        switch expression {
        case .not where current == "(": hint = ": '!' takes exactly one filter"
        case _ where current == "(": hint = ": combine filters with '&' or '|'"
        default: hint = ""
        }
        throw failure("unexpected trailing input \(rest)\(hint)")
    }

    /// `"(" filtercomp ")"`, counting the depth.
    private mutating func readParenthesised() throws(FilterReadFailure) -> FilterExpression {
        let open = position
        depth += 1
        guard depth <= FilterParser.maximumDepth else {
            throw failure("filter nested deeper than \(FilterParser.maximumDepth) levels", at: open)
        }
        position += 1
        let expression = try readComponent(isWholeFilter: false)
        skipWhitespace()
        guard current == ")" else { throw failure("expected ')'") }
        position += 1
        depth -= 1
        return expression
    }

    /// `filtercomp`; `isWholeFilter` when it is the top level without parentheses, where the legacy bare
    /// name is allowed and a value may run to the end of the text.
    private mutating func readComponent(isWholeFilter: Bool) throws(FilterReadFailure) -> FilterExpression {
        skipWhitespace()
        switch current {
        case "&":
            return .and(try readList())
        case "|":
            return .or(try readList())
        case "!":
            position += 1
            skipWhitespace()
            guard current == "(" else { throw failure("expected '(' after '!'") }
            return .not(try readParenthesised())
        case nil:
            throw failure("expected a filter, found end of input")
        case ")":
            throw failure("expected a filter, found ')'")
        case "(":
            throw failure("unexpected '(': only '&', '|' and '!' take filters in parentheses")
        default:
            return .comparison(try readItem(isWholeFilter: isWholeFilter))
        }
    }

    /// `filterlist` after `&` or `|`: one or more parenthesised filters.
    private mutating func readList() throws(FilterReadFailure) -> [FilterExpression] {
        let symbol = scalars[position]
        position += 1
        var operands: [FilterExpression] = []
        while true {
            skipWhitespace()
            guard current == "(" else { break }
            operands.append(try readParenthesised())
        }
        guard !operands.isEmpty else { throw failure("'\(symbol)' needs at least one filter in parentheses") }
        return operands
    }

    // MARK: Items

    /// `attr op value`, or the legacy bare name.
    private mutating func readItem(isWholeFilter: Bool) throws(FilterReadFailure) -> FilterComparison {
        let nameStart = position
        let attribute = readName()
        guard !attribute.isEmpty else {
            let scalar = scalars[position]
            switch scalar {
            case "=", "<", ">": throw failure("empty attribute name")
            default: throw failure("invalid character \(quoted(scalar)) in attribute name")
            }
        }
        let nameEnd = position
        skipWhitespace()
        let op: FilterOperator
        switch current {
        case "=":
            op = .equal
        case "<":
            op = peek(at: position + 1) == "=" ? .lessOrEqual : .less
        case ">":
            op = peek(at: position + 1) == "=" ? .greaterOrEqual : .greater
        case nil where isWholeFilter:
            // Legacy shorthand: `<ts:filter>expired</ts:filter>` means `expired=TRUE`.
            return FilterComparison(attribute: attribute, op: .equal, value: FilterValue(segments: [.literal("TRUE")]))
        case let scalar? where position == nameEnd && scalar != ")" && !FilterSyntax.isReserved(scalar):
            throw failure("invalid character \(quoted(scalar)) in attribute name")
        default:
            throw failure(
                "expected an operator (=, <, >, <=, >=) after '\(String(scalars: scalars[nameStart..<nameEnd]))'")
        }
        position += op.rawValue.unicodeScalars.count
        return FilterComparison(attribute: attribute, op: op, value: try readValue())
    }

    /// A run of name characters, possibly empty.
    private mutating func readName() -> String {
        let start = position
        while let scalar = current, FilterSyntax.isNameCharacter(scalar) { position += 1 }
        return String(scalars: scalars[start..<position])
    }

    /// `value`, up to `)` or the end of the text, with escapes decoded and references split out.
    private mutating func readValue() throws(FilterReadFailure) -> FilterValue {
        skipWhitespace()
        var segments: [FilterValue.Segment] = []
        var literal = String.UnicodeScalarView()
        // Unescaped whitespace at the end of `literal`, trimmed if the value ends there.
        var trailingWhitespace = 0
        // Bytes of consecutive `\XX` escapes, decoded together so that multi-byte UTF-8 works.
        var escapedBytes: [UInt8] = []
        var escapesStart = 0

        func flushEscapes() throws(FilterReadFailure) {
            guard !escapedBytes.isEmpty else { return }
            guard let decoded = String(validating: escapedBytes, as: UTF8.self) else {
                let shown =
                    escapedBytes.prefix(8).map { "\\" + Hex.encode([$0], prefix: false) }.joined()
                    + (escapedBytes.count > 8 ? "…" : "")
                throw failure("escaped bytes \(shown) are not valid UTF-8", at: escapesStart)
            }
            literal.append(contentsOf: decoded.unicodeScalars)
            escapedBytes.removeAll(keepingCapacity: true)
        }

        while let scalar = current, scalar != ")" {
            if scalar == "\\" {
                guard let high = peek(at: position + 1).flatMap(hexValue),
                    let low = peek(at: position + 2).flatMap(hexValue)
                else {
                    let shown = String(scalars: scalars[position..<min(position + 3, scalars.count)])
                    throw failure("invalid escape \(shown)")
                }
                if escapedBytes.isEmpty { escapesStart = position }
                escapedBytes.append(high << 4 | low)
                trailingWhitespace = 0
                position += 3
                continue
            }
            try flushEscapes()
            if scalar == "$" && peek(at: position + 1) == "{" {
                let name = try readReference()
                if !literal.isEmpty {
                    segments.append(.literal(String(literal)))
                    literal = String.UnicodeScalarView()
                }
                segments.append(.reference(name))
                trailingWhitespace = 0
                continue
            }
            guard !FilterSyntax.isReserved(scalar) else {
                let escape = String(scalar.value, radix: 16)
                throw failure("reserved character \(quoted(scalar)) must be escaped as \\\(escape) in a value")
            }
            literal.append(scalar)
            trailingWhitespace = FilterSyntax.isWhitespace(scalar) ? trailingWhitespace + 1 : 0
            position += 1
        }
        try flushEscapes()
        literal.removeLast(trailingWhitespace)
        if !literal.isEmpty { segments.append(.literal(String(literal))) }
        return FilterValue(segments: segments)
    }

    /// `${name}`, starting at the `$`.
    private mutating func readReference() throws(FilterReadFailure) -> String {
        let start = position
        position += 2
        let name = readName()
        switch current {
        case "}":
            guard !name.isEmpty else { throw failure("empty attribute name in ${}", at: start) }
            position += 1
            return name
        case nil, ")":
            throw failure("unterminated ${", at: start)
        case let scalar?:
            throw failure("invalid character \(quoted(scalar)) in ${...}")
        }
    }

    // MARK: Messages

    /// A scalar as shown in a message, with control characters spelled out.
    private func quoted(_ scalar: Unicode.Scalar) -> String {
        scalar.properties.generalCategory == .control ? "'\(scalar.escaped(asASCII: true))'" : "'\(scalar)'"
    }

    /// Up to 20 scalars of the text, quoted, so that a huge input does not make a huge message.
    private func quoted(_ range: Range<Int>) -> String {
        let limit = 20
        let shown = String(scalars: scalars[range.lowerBound..<min(range.upperBound, range.lowerBound + limit)])
        return "'\(shown)\(range.count > limit ? "…" : "")'"
    }
}

private func hexValue(_ scalar: Unicode.Scalar) -> UInt8? {
    scalar.isASCII ? Hex.value(of: UInt8(scalar.value)) : nil
}

extension String {
    fileprivate init(scalars: ArraySlice<Unicode.Scalar>) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self = String(view)
    }
}
