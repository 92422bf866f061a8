import TokenScriptArithmetic
import TokenScriptEthereum
import TokenScriptModel

/// Evaluates a `ts:selection` filter against typed attribute values.
///
/// Comparison follows the left-hand attribute's type, as iOS does: integers compare as numbers
/// (engine-js compares every value as a string, so "10" > "9" is false there — a known bug), addresses
/// compare equal without regard to case, booleans only with `=` against TRUE/FALSE, times
/// chronologically against a zoned literal and at the literal's precision against a zone-less one
/// (`expiry>2023`: after the year 2023; `PartialTimeLiteral`), strings lexicographically. An attribute without
/// a value (unknown, or failed) makes its comparison false, as does a `${ref}` without a value; `!` of such a
/// comparison is true.
public enum SelectionEvaluation {
    public static func holds(_ filter: FilterExpression, values: [String: AttributeValue]) -> Bool {
        switch filter {
        case .and(let operands): !operands.isEmpty && operands.allSatisfy { holds($0, values: values) }
        case .or(let operands): operands.contains { holds($0, values: values) }
        case .not(let operand): !holds(operand, values: values)
        case .comparison(let comparison): holds(comparison, values: values)
        }
    }

    static func holds(_ comparison: FilterComparison, values: [String: AttributeValue]) -> Bool {
        guard let left = values[comparison.attribute], let right = text(of: comparison.value, values: values) else {
            return false
        }
        let op = comparison.op
        let trimmed = right.trimmingWhitespace
        switch left {
        case .integer(let number):
            guard let other = IntegerText.parse(trimmed) else { return false }
            return test(number, op, other)
        case .address(let address):
            guard op == .equal, let other = LenientAddress.parse(trimmed) else { return false }
            return address == other
        case .bool(let flag):
            guard op == .equal, let other = BooleanText.parse(trimmed), trimmed != "1", trimmed != "0" else {
                return false
            }
            return flag == other
        case .string(let string):
            return test(string, op, right)
        case .time(let time):
            // `expiry>2023`: a zone-less literal compares at its own precision (year, month, day …), as iOS does.
            if let partial = PartialTimeLiteral(trimmed) { return test(partial.truncated(time), op, partial.digits) }
            if let other = GeneralizedTime(trimmed) { return test(time.unixSeconds, op, other.unixSeconds) }
            // `202313`: shaped like a date, but no month 13; as text it would compare, and wrongly.
            if PartialTimeLiteral.hasDateShape(trimmed) { return false }
            return test(time.text, op, right)
        case .bytes(let bytes):
            guard let other = Hex.decode(trimmed) else { return false }
            if op == .equal { return bytes == other }
            guard let lhs = UInt256(bigEndian: bytes), let rhs = UInt256(bigEndian: other) else { return false }
            return test(lhs, op, rhs)
        case .structured, .list:
            return false
        }
    }

    /// The filter value with `${…}` replaced by the referenced values' text; nil when one has no value.
    private static func text(of value: FilterValue, values: [String: AttributeValue]) -> String? {
        var text = ""
        for segment in value.segments {
            switch segment {
            case .literal(let literal): text += literal
            case .reference(let name):
                guard let referenced = values[name] else { return nil }
                text += referenced.text
            }
        }
        return text
    }

    private static func test<T: Comparable>(_ lhs: T, _ op: FilterOperator, _ rhs: T) -> Bool {
        switch op {
        case .equal: lhs == rhs
        case .less: lhs < rhs
        case .greater: lhs > rhs
        case .lessOrEqual: lhs <= rhs
        case .greaterOrEqual: lhs >= rhs
        }
    }
}
