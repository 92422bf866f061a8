/// The arithmetic TokenScript needs on 256-bit words; every operation that can overflow says so.
extension UInt256 {
    public func addingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        rippling(other) { $0.addingReportingOverflow($1) }
    }

    public func subtractingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        rippling(other) { $0.subtractingReportingOverflow($1) }
    }

    /// Applies a limb operation from the lowest limb up, carrying (or borrowing) one into the next limb.
    private func rippling(
        _ other: UInt256, _ operation: (UInt64, UInt64) -> (partialValue: UInt64, overflow: Bool)
    ) -> (partialValue: UInt256, overflow: Bool) {
        var result = UInt256.zero
        var carry = false
        for index in 0..<4 {
            let (partial, overflow1) = operation(self[limb: index], other[limb: index])
            let (limb, overflow2) = operation(partial, carry ? 1 : 0)
            result[limb: index] = limb
            carry = overflow1 || overflow2
        }
        return (result, carry)
    }

    /// `self × factor` for a one-word factor (decimal parsing, ×10^N scaling).
    public func multipliedReportingOverflow(byWord factor: UInt64) -> (partialValue: UInt256, overflow: Bool) {
        var result = UInt256.zero
        var carry: UInt64 = 0
        for index in 0..<4 {
            let (high, low) = self[limb: index].multipliedFullWidth(by: factor)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            result[limb: index] = sum
            carry = high &+ (overflow ? 1 : 0)
        }
        return (result, carry != 0)
    }

    public func multipliedReportingOverflow(by other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        var result = UInt256.zero
        var overflow = false
        for index in 0..<4 where other[limb: index] != 0 {
            let (partial, partialOverflow) = multipliedReportingOverflow(byWord: other[limb: index])
            // Shifting by whole limbs: any limb pushed past the top is overflow.
            for lost in (4 - index)..<4 where partial[limb: lost] != 0 { overflow = true }
            let (sum, sumOverflow) = result.addingReportingOverflow(partial << (64 * index))
            result = sum
            overflow = overflow || partialOverflow || sumOverflow
        }
        return (result, overflow)
    }

    /// Division by a small divisor (decimal printing). `divisor` must not be zero.
    public func quotientAndRemainder(dividingBy divisor: UInt64) -> (quotient: UInt256, remainder: UInt64) {
        precondition(divisor != 0, "division by zero")
        var quotient = UInt256.zero
        var remainder: UInt64 = 0
        for index in stride(from: 3, through: 0, by: -1) {
            let (q, r) = divisor.dividingFullWidth((remainder, self[limb: index]))
            quotient[limb: index] = q
            remainder = r
        }
        return (quotient, remainder)
    }

    public static func & (lhs: UInt256, rhs: UInt256) -> UInt256 {
        UInt256(
            limbs: (
                lhs.limbs.0 & rhs.limbs.0, lhs.limbs.1 & rhs.limbs.1, lhs.limbs.2 & rhs.limbs.2,
                lhs.limbs.3 & rhs.limbs.3
            ))
    }

    public static func | (lhs: UInt256, rhs: UInt256) -> UInt256 {
        UInt256(
            limbs: (
                lhs.limbs.0 | rhs.limbs.0, lhs.limbs.1 | rhs.limbs.1, lhs.limbs.2 | rhs.limbs.2,
                lhs.limbs.3 | rhs.limbs.3
            ))
    }

    public static prefix func ~ (value: UInt256) -> UInt256 {
        UInt256(limbs: (~value.limbs.0, ~value.limbs.1, ~value.limbs.2, ~value.limbs.3))
    }

    /// Logical shift left; bits shifted past 256 are lost, shifts ≥ 256 give zero.
    public static func << (value: UInt256, amount: Int) -> UInt256 {
        guard amount > 0 else { return amount == 0 ? value : value >> -amount }
        guard amount < 256 else { return .zero }
        let limbShift = amount / 64, bitShift = UInt64(amount % 64)
        var result = UInt256.zero
        for index in stride(from: 3, through: limbShift, by: -1) {
            var word = value[limb: index - limbShift] << bitShift
            if bitShift > 0, index - limbShift - 1 >= 0 {
                word |= value[limb: index - limbShift - 1] >> (64 - bitShift)
            }
            result[limb: index] = word
        }
        return result
    }

    /// Logical shift right; shifts ≥ 256 give zero.
    public static func >> (value: UInt256, amount: Int) -> UInt256 {
        guard amount > 0 else { return amount == 0 ? value : value << -amount }
        guard amount < 256 else { return .zero }
        let limbShift = amount / 64, bitShift = UInt64(amount % 64)
        var result = UInt256.zero
        for index in 0..<(4 - limbShift) {
            var word = value[limb: index + limbShift] >> bitShift
            if bitShift > 0, index + limbShift + 1 < 4 { word |= value[limb: index + limbShift + 1] << (64 - bitShift) }
            result[limb: index] = word
        }
        return result
    }
}
