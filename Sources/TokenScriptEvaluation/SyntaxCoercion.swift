import TokenScriptArithmetic
import TokenScriptEthereum
import TokenScriptModel

/// Coerces a value to the type its syntax OID names (iOS `AssetAttributeSyntax.coerceToSyntax`).
///
/// Unlike iOS, a value that does not fit is an error naming it, not the syntax's default (0, "", false):
/// a silent 0 balance is worse than a visible failure.
enum SyntaxCoercion {
    static func coerce(_ value: AttributeValue, to syntax: ValueSyntax?) throws(EvaluationError.Reason)
        -> AttributeValue
    {
        guard let syntax else { return value }
        func refuse() -> EvaluationError.Reason {
            .conversion("\(value.json) does not fit syntax \(syntax.oid) (\(syntax.type.rawValue))")
        }
        switch syntax.type {
        case .string:
            switch value {
            case .structured, .list: throw refuse()
            default: return .string(value.text)
            }
        case .boolean:
            switch value {
            case .bool: return value
            case .integer(let number) where number == .zero || number == AttributeInteger(1):
                return .bool(number != .zero)
            case .string(let text):
                guard let flag = BooleanText.parse(text.trimmingWhitespace) else { throw refuse() }
                return .bool(flag)
            default: throw refuse()
            }
        case .integer, .unsignedInteger:
            let number: AttributeInteger
            switch value {
            case .integer(let integer): number = integer
            case .bool(let flag): number = AttributeInteger(flag ? 1 : 0)
            case .string(let text):
                guard let parsed = IntegerText.parse(text.trimmingWhitespace) else { throw refuse() }
                number = parsed
            case .time(let time): number = AttributeInteger(Int(time.unixSeconds))
            default: throw refuse()
            }
            guard syntax.type == .integer || !number.isNegative else { throw refuse() }
            return .integer(number)
        case .generalizedTime:
            switch value {
            case .time: return value
            case .string(let text):
                guard let time = GeneralizedTime(text.trimmingWhitespace) else { throw refuse() }
                return .time(time)
            case .integer(let number):
                // A number is a Unix time in seconds (what contracts store).
                guard let signed = number.signed, signed.fits(bits: 64) else { throw refuse() }
                let seconds = Int64(bitPattern: signed.bits.limbs.0)
                do {
                    return .time(try GeneralizedTime(unixSeconds: seconds))
                } catch {
                    throw .conversion(
                        "\(value.json) does not fit syntax \(syntax.oid) "
                            + "(\(syntax.type.rawValue)): \(error.value) is out of range (\(error.range))"
                    )
                }
            default: throw refuse()
            }
        case .bitString, .countryString, .jpeg, .unknown:
            return value
        }
    }
}
