/// Conversions of outside numbers that answer with a `NumberRangeError` instead of trapping.
///
/// Swift's `Int(x)`, `UInt64(x)` and `Int64(double)` stop the process when the value does not fit, and an
/// outside value can always be made not to fit; every boundary converts through here instead.
public enum CheckedConversion {
    /// `value` as a `T` within `range` (default: all of `T`), or an error naming `field`.
    public static func integer<T: FixedWidthInteger>(
        _ value: some BinaryInteger, as type: T.Type = T.self, field: String, in range: ClosedRange<T>? = nil
    ) throws(NumberRangeError) -> T {
        let bounds = range ?? T.min...T.max
        guard let converted = T(exactly: value), bounds.contains(converted) else {
            throw NumberRangeError(field: field, value: "\(value)", range: describe(bounds))
        }
        return converted
    }

    /// A whole number held in a `Double` (a Lua or JSON number) as a `T` within `range`; NaN, infinities and
    /// fractions are errors too.
    public static func integer<T: FixedWidthInteger>(
        _ value: Double, as type: T.Type = T.self, field: String, in range: ClosedRange<T>? = nil
    ) throws(NumberRangeError) -> T {
        let bounds = range ?? T.min...T.max
        guard value.isFinite, let converted = T(exactly: value), bounds.contains(converted) else {
            throw NumberRangeError(field: field, value: "\(value)", range: describe(bounds))
        }
        return converted
    }

    /// A finite `Double` within `range` (NaN and infinities are out of every range).
    public static func finite(_ value: Double, field: String, in range: ClosedRange<Double>) throws(NumberRangeError)
        -> Double
    {
        guard value.isFinite, range.contains(value) else {
            throw NumberRangeError(field: field, value: "\(value)", range: "\(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    /// `0…2^63-1` rather than `0…9223372036854775807`: the bounds people recognise.
    public static func describe<T: FixedWidthInteger>(_ range: ClosedRange<T>) -> String {
        func name(_ bound: T) -> String {
            if bound == Int64.max { return "2^63-1" }
            if bound == Int64.min { return "-2^63" }
            if bound == UInt64.max { return "2^64-1" }
            if bound == Int32.max { return "2^31-1" }
            if bound == UInt32.max { return "2^32-1" }
            return "\(bound)"
        }
        return "\(name(range.lowerBound))…\(name(range.upperBound))"
    }
}
