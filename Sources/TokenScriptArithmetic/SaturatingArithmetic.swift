/// Arithmetic that stops at the type's bounds instead of trapping or wrapping.
///
/// For time and budgets computed from outside values (an attestation's `issuedAt` plus a skew, a `time`
/// attribute plus a delay, elapsed time plus a timeout): a far-future time must stay far in the future,
/// never wrap into "due now", and never stop the node.
extension FixedWidthInteger {
    /// `self + other`, clamped to `min…max`.
    public func saturatingAdding(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other < 0 ? .min : .max
    }

    /// `self - other`, clamped to `min…max`.
    public func saturatingSubtracting(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// `self * other`, clamped to `min…max`.
    public func saturatingMultiplied(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) != (other < 0) ? .min : .max
    }
}

/// Conversions between time units that clamp instead of trapping.
public enum SaturatingTime {
    /// Nanoseconds in `seconds` (finite, non-negative), clamped to `UInt64.max`; NaN and negatives are 0.
    public static func nanoseconds(seconds: Double) -> UInt64 {
        guard seconds > 0 else { return 0 }
        let nanoseconds = seconds * 1e9
        guard nanoseconds < 18_446_744_073_709_549_568 else { return .max }  // the largest Double below 2^64
        return UInt64(nanoseconds)
    }
}
