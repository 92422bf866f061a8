import TokenScriptEthereum

/// Exact `eN` scaling of decimal text: "1.5" with e18 is 1500000000000000000, with no floating point.
///
/// Every reference runtime scales user entries this way; doing it on the digits (not on a Double)
/// keeps all 78 significant digits of a 256-bit amount exact.
enum DecimalScaling {
    /// `text × 10^decimals` as an integer.
    ///
    /// Accepts `digits[.digits]` (also `.5` and `5.`), surrounding whitespace, and `_`-free plain digits only;
    /// refuses signs, exponents, more fractional digits than `decimals` (rounding would change an amount
    /// the user typed), and results beyond 2^256-1.
    static func scale(_ text: String, decimals: Int) throws(EvaluationError.Reason) -> UInt256 {
        let trimmed = text.trimmingWhitespace
        let parts = trimmed.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty), (whole + fraction).allSatisfy(\.isASCIIDigit) else {
            throw .conversion("'\(text)' is not a decimal number")
        }
        let significantFraction = fraction.reversed().drop { $0 == "0" }.reversed()
        guard significantFraction.count <= decimals else {
            throw .conversion("'\(text)' has more than \(decimals) decimal places")
        }
        let digits =
            String(whole) + String(significantFraction)
            + String(repeating: "0", count: decimals - significantFraction.count)
        let significant = digits.drop { $0 == "0" }
        guard let value = UInt256(decimal: significant.isEmpty ? "0" : significant) else {
            throw .conversion("'\(text)' × 10^\(decimals) exceeds 256 bits")
        }
        return value
    }

    /// `value × 10^decimals`, or nil on overflow.
    static func multiply(_ value: UInt256, byPowerOfTen decimals: Int) -> UInt256? {
        var result = value
        for _ in 0..<decimals {
            let (product, overflow) = result.multipliedReportingOverflow(byWord: 10)
            guard !overflow else { return nil }
            result = product
        }
        return result
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
