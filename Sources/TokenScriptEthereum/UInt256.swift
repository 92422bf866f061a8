/// An unsigned 256-bit integer: the width of an EVM word, `uint256` and token ids.
///
/// Our own small fixed-width type rather than a general BigInt dependency: ABI values never exceed 256
/// bits, and the operations TokenScript needs (bytes ↔ value, decimal text, range checks, `bitmask`
/// and/shift, ×10^N scaling) are few. Arithmetic reports overflow instead of trapping or growing.
public struct UInt256: Hashable, Sendable {
    /// Four 64-bit limbs, least significant first.
    public private(set) var limbs: (UInt64, UInt64, UInt64, UInt64)

    public static let zero = UInt256(limbs: (0, 0, 0, 0))
    public static let max = UInt256(limbs: (.max, .max, .max, .max))

    public init(limbs: (UInt64, UInt64, UInt64, UInt64)) { self.limbs = limbs }

    public init(_ value: UInt64) { limbs = (value, 0, 0, 0) }

    /// A value from at most 32 big-endian bytes; nil when there are more.
    public init?<Bytes: Collection<UInt8>>(bigEndian bytes: Bytes) {
        guard bytes.count <= 32 else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.reversed().enumerated() {
            words[index / 8] |= UInt64(byte) << UInt64(8 * (index % 8))
        }
        limbs = (words[0], words[1], words[2], words[3])
    }

    /// The 32-byte big-endian form, exactly as an ABI word.
    public var bigEndianBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for word in [limbs.3, limbs.2, limbs.1, limbs.0] {
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return bytes
    }

    /// Limb `index` (0 = least significant).
    subscript(limb index: Int) -> UInt64 {
        get {
            switch index {
            case 0: limbs.0
            case 1: limbs.1
            case 2: limbs.2
            default: limbs.3
            }
        }
        set {
            switch index {
            case 0: limbs.0 = newValue
            case 1: limbs.1 = newValue
            case 2: limbs.2 = newValue
            default: limbs.3 = newValue
            }
        }
    }

    public var isZero: Bool { limbs == (0, 0, 0, 0) }

    /// The number of significant bits: 0 for zero, 256 when the top bit is set. `uintN` accepts `bitWidth <= N`.
    public var bitWidth: Int {
        for index in stride(from: 3, through: 0, by: -1) where self[limb: index] != 0 {
            return index * 64 + 64 - self[limb: index].leadingZeroBitCount
        }
        return 0
    }

    public var trailingZeroBitCount: Int {
        for index in 0..<4 where self[limb: index] != 0 {
            return index * 64 + self[limb: index].trailingZeroBitCount
        }
        return 256
    }

    /// The value as a UInt64 when it fits.
    public var uint64Value: UInt64? { bitWidth <= 64 ? limbs.0 : nil }

    public static func == (lhs: UInt256, rhs: UInt256) -> Bool { lhs.limbs == rhs.limbs }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(limbs.0); hasher.combine(limbs.1); hasher.combine(limbs.2); hasher.combine(limbs.3)
    }
}

extension UInt256: Comparable {
    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        for index in stride(from: 3, through: 0, by: -1) where lhs[limb: index] != rhs[limb: index] {
            return lhs[limb: index] < rhs[limb: index]
        }
        return false
    }
}

extension UInt256: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: UInt64) { self.init(value) }
}
