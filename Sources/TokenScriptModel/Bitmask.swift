/// A 256-bit mask selecting a field of a token id or call result (`bitmask=`).
///
/// Stored as the normalised hex digits (no `0x`, no whitespace, upper case, at most 64 digits)
/// so the model stays free of big-integer types; evaluation applies `(value & mask) >> trailingZeroBits(mask)`.
public struct Bitmask: Sendable, Hashable, CustomStringConvertible {
    public var hex: String

    /// The full 256-bit mask, the default of `ts:token-id`.
    public static let all = Bitmask(validatedHex: String(repeating: "F", count: 64))

    private init(validatedHex: String) {
        self.hex = validatedHex
    }

    /// Parses a mask as written; real files wrap long masks over lines, so whitespace is ignored. ASCII
    /// digits only: `Character.isHexDigit` also accepts fullwidth forms (`Ｆ`), which `Int(_:radix:)` refuses.
    public init?(_ text: String) {
        var digits = text.filter { !$0.isWhitespace }
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits.removeFirst(2) }
        guard !digits.isEmpty, digits.count <= 64, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
            return nil
        }
        self.hex = digits.uppercased()
    }

    /// The number of zero bits below the lowest set bit: the shift that right-aligns the field.
    public var trailingZeroBits: Int {
        var count = 0
        for digit in hex.reversed() {
            let value = Int(String(digit), radix: 16)!
            if value == 0 {
                count += 4
            } else {
                return count + value.trailingZeroBitCount
            }
        }
        return count
    }

    /// The number of set bits: the width of the field when the mask is contiguous.
    public var setBits: Int {
        hex.reduce(0) { $0 + Int(String($1), radix: 16)!.nonzeroBitCount }
    }

    public var description: String { hex }
}
