import TokenScriptModel
import TokenScriptRuntime

/// Evaluates an `sl:on-attestation filter=` over an attestation's payload fields.
///
/// A small evaluator of its own rather than `TokenScriptEvaluation`'s selection logic: that one resolves
/// token attributes through chains, this one reads a JSON payload, and the engine must not depend on
/// networking layers. Rules (ServerExtension.md, `filter`):
/// * the left side names a payload field (a top-level key; failing that, a dotted path `a.b`);
/// * `${name}` on the right is the instance's stored attribute `name` (strings as is, numbers in decimal);
/// * comparisons are numeric when both sides are integers, else by text (bytewise); `=` on text
///   supports `*` as a wildcard, as in LDAP filters (`(gate=A*)`);
/// * a missing or null field, or an unresolvable reference, makes the comparison false (and `!` of it true).
enum PayloadFilter {
    static func matches(_ filter: FilterExpression, payload: SandboxValue, attributes: [String: SandboxValue]) -> Bool {
        switch filter {
        case .and(let operands): operands.allSatisfy { matches($0, payload: payload, attributes: attributes) }
        case .or(let operands): operands.contains { matches($0, payload: payload, attributes: attributes) }
        case .not(let operand): !matches(operand, payload: payload, attributes: attributes)
        case .comparison(let comparison): compare(comparison, payload: payload, attributes: attributes)
        }
    }

    static func field(_ name: String, in payload: SandboxValue) -> SandboxValue? {
        guard let members = payload.objectMembers else { return nil }
        if let direct = members[name] { return direct }
        var current: SandboxValue? = payload
        for part in name.split(separator: ".", omittingEmptySubsequences: false) {
            current = current?.objectMembers?[String(part)]
        }
        return current
    }

    /// The text of a scalar for text comparison; nil for null, arrays and objects.
    static func text(_ value: SandboxValue) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .double(let number):
            number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .null, .array, .object: nil
        }
    }

    private static func compare(
        _ comparison: FilterComparison, payload: SandboxValue, attributes: [String: SandboxValue]
    ) -> Bool {
        guard let left = field(comparison.attribute, in: payload), let leftText = text(left) else { return false }
        var right = ""
        for segment in comparison.value.segments {
            switch segment {
            case .literal(let piece): right += piece
            case .reference(let name):
                guard let value = attributes[name], let piece = text(value) else { return false }
                right += piece
            }
        }
        if let a = integer(left), let b = Int64(right) {
            switch comparison.op {
            case .equal: return a == b
            case .less: return a < b
            case .greater: return a > b
            case .lessOrEqual: return a <= b
            case .greaterOrEqual: return a >= b
            }
        }
        let a = Array(leftText.utf8), b = Array(right.utf8)
        switch comparison.op {
        case .equal: return right.contains("*") ? wildcard(leftText, right) : a == b
        case .less: return a.lexicographicallyPrecedes(b)
        case .greater: return b.lexicographicallyPrecedes(a)
        case .lessOrEqual: return !b.lexicographicallyPrecedes(a)
        case .greaterOrEqual: return !a.lexicographicallyPrecedes(b)
        }
    }

    private static func integer(_ value: SandboxValue) -> Int64? {
        switch value {
        case .int(let number): number
        case .double(let number) where number == number.rounded() && abs(number) < 9e15: Int64(number)
        default: nil
        }
    }

    /// `*` matches any run of characters; everything else literally.
    private static func wildcard(_ text: String, _ pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(text)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for (index, part) in parts.enumerated().dropFirst() {
            if index == parts.count - 1 { return part.isEmpty || rest.hasSuffix(part) }
            guard let range = rest.firstRange(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.isEmpty
    }
}
