/// A signed 256-bit integer in two's complement, for `int8`…`int256`.
///
/// It is a thin view over `UInt256` bits because that is exactly the ABI word: encoding is the bits,
/// and the range check for `intN` is "the top 257-N bits are all equal".
public struct Int256: Hashable, Sendable {
    /// The two's-complement bit pattern.
    public var bits: UInt256

    public static let zero = Int256(bits: .zero)
    public static let max = Int256(bits: UInt256.max >> 1)
    public static let min = Int256(bits: ~(UInt256.max >> 1))

    public init(bits: UInt256) { self.bits = bits }

    public init(_ value: Int64) {
        let low = UInt64(bitPattern: value)
        let fill: UInt64 = value < 0 ? .max : 0
        bits = UInt256(limbs: (low, fill, fill, fill))
    }

    /// `magnitude` with a sign; nil when it does not fit (|min| = 2^255 is allowed only when negative).
    public init?(negative: Bool, magnitude: UInt256) {
        if negative {
            guard magnitude <= Int256.min.bits else { return nil }
            bits = (~magnitude).addingReportingOverflow(UInt256(1)).partialValue
        } else {
            guard magnitude <= Int256.max.bits else { return nil }
            bits = magnitude
        }
    }

    public var isNegative: Bool { bits[limb: 3] >> 63 == 1 }

    /// |self|; for `min` that is 2^255, which fits in `UInt256`.
    public var magnitude: UInt256 {
        isNegative ? (~bits).addingReportingOverflow(UInt256(1)).partialValue : bits
    }

    /// Whether the value fits in `intN`: `-2^(N-1) ≤ self < 2^(N-1)`.
    public func fits(bits width: Int) -> Bool {
        guard width < 256 else { return true }
        let upper = bits >> (width - 1)  // sign bit of intN and everything above it
        return upper.isZero || upper == UInt256.max >> (width - 1)
    }
}

extension Int256: Comparable {
    public static func < (lhs: Int256, rhs: Int256) -> Bool {
        lhs.isNegative != rhs.isNegative ? lhs.isNegative : lhs.bits < rhs.bits
    }
}

extension Int256: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self.init(value) }
}

extension Int256: CustomStringConvertible, LosslessStringConvertible {
    /// Decimal with an optional leading `-` (or `+`); nil when malformed or out of range.
    public init?(_ description: String) {
        var text = Substring(description)
        let negative = text.first == "-"
        if negative || text.first == "+" { text = text.dropFirst() }
        guard let magnitude = UInt256(decimal: text) else { return nil }
        self.init(negative: negative, magnitude: magnitude)
    }

    public var description: String { (isNegative ? "-" : "") + magnitude.description }
}
