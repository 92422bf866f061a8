/// A parsed `ts:selection` filter, kept as a tree so that it can be checked and evaluated
/// without re-reading text.
///
/// The text form is the RFC 2254-like prefix notation of TokenScript (`(&(level>0)(owner=${ownerAddress}))`);
/// ``FilterParser`` documents the grammar. `description` renders the canonical, fully parenthesised text,
/// and `FilterParser.parse(e.description) == e` for every expression the parser produces.
public indirect enum FilterExpression: Sendable, Hashable {
    /// True when every operand is true (`&`). The parser never produces an empty list.
    case and([FilterExpression])
    /// True when some operand is true (`|`). The parser never produces an empty list.
    case or([FilterExpression])
    /// `!`
    case not(FilterExpression)
    case comparison(FilterComparison)
}

/// One `attribute op value` test, the leaf of every filter.
public struct FilterComparison: Sendable, Hashable, Codable {
    /// The attribute whose value is compared.
    ///
    /// The parser only produces names made of letters, digits, marks, `_`, `-` and `.`; a hand-built
    /// comparison with any other character renders text that does not parse back.
    public var attribute: String
    public var op: FilterOperator
    public var value: FilterValue

    public init(attribute: String, op: FilterOperator, value: FilterValue) {
        self.attribute = attribute
        self.op = op
        self.value = value
    }
}

/// The comparisons the filter grammar allows; the raw value is the operator as written.
public enum FilterOperator: String, Sendable, Hashable, Codable, CaseIterable {
    case equal = "="
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
}

/// The right-hand side of a comparison, kept in pieces so that `${attr}` references can be resolved
/// against a token at evaluation time and listed as dependencies before that.
public struct FilterValue: Sendable, Hashable, Codable {
    public enum Segment: Sendable, Hashable {
        /// Text taken as is, with `\XX` escapes already decoded.
        case literal(String)
        /// `${name}`: the value of another attribute.
        case reference(String)
    }

    /// Never holds an empty literal or two literals in a row, so equal values have equal segments.
    public var segments: [Segment]

    /// Joins adjacent literals and drops empty ones, so that values compare equal when they read the same.
    public init(segments: [Segment]) {
        var normalised: [Segment] = []
        normalised.reserveCapacity(segments.count)
        for segment in segments {
            switch segment {
            case .literal(let text) where text.isEmpty:
                continue
            case .literal(let text):
                if case .literal(let previous)? = normalised.last {
                    normalised[normalised.count - 1] = .literal(previous + text)
                } else {
                    normalised.append(segment)
                }
            case .reference:
                normalised.append(segment)
            }
        }
        self.segments = normalised
    }

    /// Names inside `${...}`, in order of first appearance, each once.
    public var referencedAttributes: [String] {
        var seen: Set<String> = []
        return segments.compactMap { segment in
            guard case .reference(let name) = segment, seen.insert(name).inserted else { return nil }
            return name
        }
    }

    /// True when the value needs no other attribute to be known.
    public var isLiteral: Bool {
        segments.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// The whole value when it references no attribute (`""` for an empty value); nil otherwise.
    public var literalText: String? {
        var text = ""
        for segment in segments {
            guard case .literal(let piece) = segment else { return nil }
            text += piece
        }
        return text
    }
}

extension FilterExpression: CustomStringConvertible {
    /// The canonical text: every filter in parentheses, reserved characters escaped as `\XX`.
    public var description: String {
        var text = ""
        render(into: &text)
        return text
    }

    private func render(into text: inout String) {
        text += "("
        switch self {
        case .and(let operands):
            text += "&"
            for operand in operands { operand.render(into: &text) }
        case .or(let operands):
            text += "|"
            for operand in operands { operand.render(into: &text) }
        case .not(let operand):
            text += "!"
            operand.render(into: &text)
        case .comparison(let comparison):
            text += comparison.attribute
            text += comparison.op.rawValue
            comparison.value.render(into: &text)
        }
        text += ")"
    }
}

extension FilterExpression {
    /// Every attribute the filter reads, compared or interpolated, in order of first appearance, each once;
    /// what a token must have resolved before the filter can be evaluated.
    public var referencedAttributes: [String] {
        var seen: Set<String> = []
        var names: [String] = []
        // An explicit stack, so that a hand-built tree of any depth cannot exhaust the call stack.
        var pending: [FilterExpression] = [self]
        while let expression = pending.popLast() {
            switch expression {
            case .and(let operands), .or(let operands):
                pending.append(contentsOf: operands.reversed())
            case .not(let operand):
                pending.append(operand)
            case .comparison(let comparison):
                for name in [comparison.attribute] + comparison.value.referencedAttributes
                where seen.insert(name).inserted {
                    names.append(name)
                }
            }
        }
        return names
    }
}

extension FilterValue {
    /// Writes the value so that the parser reads back exactly these segments: reserved characters,
    /// `\`, control characters, a `$` before `{`, and the whitespace the parser would trim are escaped.
    func render(into text: inout String) {
        let segments = FilterValue(segments: segments).segments
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .reference(let name):
                text += "${\(name)}"
            case .literal(let literal):
                let scalars = Array(literal.unicodeScalars)
                // Unescaped whitespace at either end of a value is trimmed by the parser.
                let leading = index == 0 ? (scalars.firstIndex { !FilterSyntax.isWhitespace($0) } ?? scalars.count) : 0
                let trailing =
                    index == segments.count - 1
                    ? (scalars.lastIndex { !FilterSyntax.isWhitespace($0) }.map { $0 + 1 } ?? 0) : scalars.count
                for (position, scalar) in scalars.enumerated() {
                    let escape =
                        FilterSyntax.isReserved(scalar) || scalar == "\\"
                        || scalar.properties.generalCategory == .control
                        || (scalar == "$" && position + 1 < scalars.count && scalars[position + 1] == "{")
                        || position < leading || position >= trailing
                    if escape {
                        FilterSyntax.appendEscaped(scalar, to: &text)
                    } else {
                        text.unicodeScalars.append(scalar)
                    }
                }
            }
        }
    }
}

/// Character classes shared by the parser and the renderer, so that what one writes the other reads.
enum FilterSyntax {
    /// `= < > ( ) & | !`: characters that must be escaped inside a value.
    static func isReserved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "=", "<", ">", "(", ")", "&", "|", "!": true
        default: false
        }
    }

    /// Whitespace that is insignificant between tokens and trimmed from both ends of a value.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    /// Letters, digits, marks, `_`, `-` and `.`: what attribute names are made of in real files.
    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".": return true
            default: return false
            }
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .letterNumber, .decimalNumber, .nonspacingMark, .spacingMark, .connectorPunctuation:
            return true
        default:
            return false
        }
    }

    /// `\XX` for each UTF-8 byte of the scalar, lower-case hex as in real files (`Caf\c3\a9`).
    static func appendEscaped(_ scalar: Unicode.Scalar, to text: inout String) {
        let digits: [Unicode.Scalar] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        for byte in String(scalar).utf8 {
            text.unicodeScalars.append("\\")
            text.unicodeScalars.append(digits[Int(byte >> 4)])
            text.unicodeScalars.append(digits[Int(byte & 0x0f)])
        }
    }
}
