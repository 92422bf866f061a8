import TokenScriptEthereum

/// A signed integer of up to 256 bits of magnitude, so one type holds every `uintN` and `intN` result.
///
/// Sign and magnitude rather than two's complement: attribute values mix `uint256` (up to 2^256-1) and
/// `int256` (down to -2^255), and neither `UInt256` nor `Int256` alone holds both ranges.
public struct AttributeInteger: Hashable, Sendable, CustomStringConvertible {
    /// Never true for zero, so equal numbers are equal values.
    public let isNegative: Bool
    public let magnitude: UInt256

    public static let zero = AttributeInteger(UInt256.zero)

    public init(_ value: UInt256) {
        isNegative = false
        magnitude = value
    }

    public init(_ value: Int256) {
        self.init(negative: value.isNegative, magnitude: value.magnitude)
    }

    public init(_ value: Int) {
        self.init(negative: value < 0, magnitude: UInt256(UInt64(value.magnitude)))
    }

    public init(negative: Bool, magnitude: UInt256) {
        self.isNegative = negative && !magnitude.isZero
        self.magnitude = magnitude
    }

    /// Decimal digits with an optional leading `-` or `+`; nil when malformed or beyond 256 bits.
    public init?(decimal text: some StringProtocol) {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        guard let magnitude = UInt256(decimal: digits) else { return nil }
        self.init(negative: negative, magnitude: magnitude)
    }

    /// The value as a `uint256`, when it is not negative.
    public var unsigned: UInt256? { isNegative ? nil : magnitude }

    /// The value as an `int256`, when it fits.
    public var signed: Int256? { Int256(negative: isNegative, magnitude: magnitude) }

    public var description: String { (isNegative ? "-" : "") + magnitude.description }
}

extension AttributeInteger: Comparable {
    public static func < (lhs: AttributeInteger, rhs: AttributeInteger) -> Bool {
        switch (lhs.isNegative, rhs.isNegative) {
        case (true, false): true
        case (false, true): false
        case (false, false): lhs.magnitude < rhs.magnitude
        case (true, true): rhs.magnitude < lhs.magnitude
        }
    }
}
